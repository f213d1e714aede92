'use client';

import { useEffect } from 'react';
import { Icon } from './Icon';

/** Asks the browser to confirm leaving the page while there are unsaved changes. */
export function useLeaveWarning(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);
}

/**
 * The footer of an editor with a draft: whether it is saved (or what the last save said), and Discard / Save.
 * Errors are shown by the editor itself, beside what they concern; the status line stays quiet then.
 */
export function SaveFooter({
  dirty,
  saving,
  ready,
  failed,
  message,
  saveLabel,
  statusTestId,
  saveTestId,
  onDiscard,
  onSave,
}: {
  dirty: boolean;
  saving: boolean;
  /** False until hydrated: the buttons do nothing before. */
  ready: boolean;
  failed: boolean;
  message: string | null;
  saveLabel: string;
  statusTestId: string;
  saveTestId: string;
  onDiscard: () => void;
  onSave: () => void;
}) {
  const disabled = !ready || !dirty || saving;
  return (
    <footer className="panel__footer">
      <div className="panel__footer-status" role="status" aria-live="polite" data-testid={statusTestId}>
        {failed ? null : message ? (
          <span className="status status--ok">
            <Icon name="check" size={16} />
            {message}
          </span>
        ) : dirty ? (
          <span className="status status--dirty">Unsaved changes</span>
        ) : (
          <span className="muted">All changes saved.</span>
        )}
      </div>
      <div className="panel__footer-actions">
        <button type="button" className="btn btn--ghost" disabled={disabled} onClick={onDiscard}>
          Discard changes
        </button>
        <button
          type="button"
          className="btn btn--primary"
          disabled={disabled}
          onClick={onSave}
          data-testid={saveTestId}
        >
          {saving ? 'Saving…' : saveLabel}
        </button>
      </div>
    </footer>
  );
}
