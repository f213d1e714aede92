/**
 * The inline "are you sure?" step every destructive action uses: what will happen, the confirming button and
 * Cancel, which takes focus so Enter or Escape-then-Enter never confirms by accident.
 */
export function ConfirmGroup({
  label,
  text,
  confirmLabel,
  tone = 'danger',
  busy = false,
  stacked = false,
  inline = false,
  className = '',
  onConfirm,
  onCancel,
}: {
  /** Accessible name of the group, phrased as the question. */
  label: string;
  text?: string;
  confirmLabel: string;
  tone?: 'danger' | 'primary';
  busy?: boolean;
  stacked?: boolean;
  /** A span, for use inside table cells and running text. */
  inline?: boolean;
  className?: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const Wrapper = inline ? 'span' : 'div';
  return (
    <Wrapper
      className={['confirm', stacked ? 'confirm--stacked' : '', className].filter(Boolean).join(' ')}
      role="group"
      aria-label={label}
    >
      {text ? <span className="confirm__text">{text}</span> : null}
      <button type="button" className={`btn btn--sm btn--${tone}`} disabled={busy} onClick={onConfirm}>
        {confirmLabel}
      </button>
      <button type="button" className="btn btn--ghost btn--sm" autoFocus onClick={onCancel}>
        Cancel
      </button>
    </Wrapper>
  );
}
