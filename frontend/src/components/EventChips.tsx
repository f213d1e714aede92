import { Icon } from './Icon';

const INTENT_LABELS: Record<string, string> = {
  educational: 'Educational',
  evaluation: 'Evaluation',
  purchase: 'Purchase',
  support: 'Support',
};

export function intentLabel(intent: string): string {
  return INTENT_LABELS[intent] ?? intent;
}

/** The content category an event was mapped to ("pricing", "docs"), or nothing. */
export function CategoryChip({ category }: { category: string | null | undefined }) {
  if (!category) return null;
  return (
    <span className="chip chip--category" title={`Category: ${category}`}>
      <Icon name="tag" size={12} />
      <span className="visually-hidden">Category: </span>
      {category}
    </span>
  );
}

/** The buying intent an event signals: educational, evaluation, purchase or support. */
export function IntentChip({ intent }: { intent: string | null | undefined }) {
  if (!intent) return null;
  const known = intent in INTENT_LABELS;
  return (
    <span
      className={`chip chip--intent chip--${known ? intent : 'other'}`}
      title={`Intent: ${intentLabel(intent)}`}
    >
      <span className="chip__dot" aria-hidden="true" />
      <span className="visually-hidden">Intent: </span>
      {intentLabel(intent)}
    </span>
  );
}

/** Segment calls the taxonomy maps; identify, group and alias describe people, not behaviour. */
export function isBehavioural(type: string): boolean {
  return type === 'track' || type === 'page' || type === 'screen';
}

/**
 * Category and intent side by side. An "Unmapped" chip when the taxonomy matched nothing for a
 * behavioural event; a plain dash for calls the taxonomy never maps (`type` not behavioural).
 */
export function MappingChips({
  category,
  intent,
  type,
}: {
  category: string | null | undefined;
  intent: string | null | undefined;
  type?: string;
}) {
  if (!category && !intent) {
    if (type && !isBehavioural(type)) {
      return (
        <span className="muted" aria-label="Not mapped">
          —
        </span>
      );
    }
    return <span className="chip chip--empty">Unmapped</span>;
  }
  return (
    <span className="chips">
      <CategoryChip category={category} />
      <IntentChip intent={intent} />
    </span>
  );
}

const TYPE_LABELS: Record<string, string> = {
  page: 'Page',
  screen: 'Screen',
  track: 'Track',
  identify: 'Identify',
  group: 'Group',
  alias: 'Alias',
};

/** The Segment call type (track, page, identify, …) as a small mono label. */
export function TypeLabel({ type }: { type: string }) {
  return <span className={`type-label type-label--${type}`}>{TYPE_LABELS[type] ?? type}</span>;
}
