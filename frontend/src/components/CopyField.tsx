'use client';

import { useId, useRef, type ReactNode } from 'react';
import { useCopy } from '@/lib/useCopy';
import { Icon } from './Icon';

/** A read-only value with a Copy button (clipboard API, with a selection fallback on http). */
export function CopyField({
  label,
  value,
  testId,
  hint,
}: {
  label: string;
  value: string;
  testId?: string;
  hint?: ReactNode;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, copy] = useCopy(value, input);

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
          aria-describedby={hint ? `${id}-hint` : undefined}
          data-testid={testId}
        />
        <button
          type="button"
          className="btn btn--secondary"
          onClick={copy}
          aria-live="polite"
          aria-label={copied === 'copied' ? `${label} copied` : `Copy ${label.toLowerCase()}`}
        >
          <Icon name={copied === 'copied' ? 'check' : 'copy'} size={16} />
          {copied === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {copied === 'failed' ? (
        <p className="field__hint">Copying is blocked here — the value is selected, press Ctrl+C / ⌘C.</p>
      ) : null}
    </div>
  );
}
