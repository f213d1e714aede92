const LABELS: Record<string, string> = {
  granted: 'Consent granted',
  denied: 'Consent denied',
  unknown: 'Consent unknown',
};

/** Whether the person agreed to tracking, as their last identify said. */
export function ConsentBadge({ consent }: { consent: string }) {
  return (
    <span className={`badge badge--consent-${consent in LABELS ? consent : 'unknown'}`}>
      {LABELS[consent] ?? `Consent: ${consent}`}
    </span>
  );
}
