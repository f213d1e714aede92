'use client';

import { useId, useRef, useState } from 'react';
import { Icon } from './Icon';

/** A read-only value with a Copy button (clipboard API, with a selection fallback on http). */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');

  async function copy() {
    let ok = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(value);
        ok = true;
      }
    } catch {
      ok = false;
    }
    if (!ok && input.current) {
      input.current.focus();
      input.current.select();
      try {
        ok = document.execCommand('copy');
      } catch {
        ok = false;
      }
    }
    setCopied(ok ? 'copied' : 'failed');
    window.setTimeout(() => setCopied('idle'), 2500);
  }

  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="copyfield">
        <input
          ref={input}
          id={id}
          className="input input--mono"
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          data-testid={testId}
        />
        <button type="button" className="btn btn--secondary" onClick={copy} aria-live="polite">
          <Icon name={copied === 'copied' ? 'check' : 'copy'} size={16} />
          {copied === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {copied === 'failed' ? (
        <p className="field__hint">Copying is blocked here — the link is selected, press Ctrl+C / ⌘C.</p>
      ) : null}
    </div>
  );
}
