'use client';

import { useRef } from 'react';
import { useCopy } from '@/lib/useCopy';
import { Icon } from './Icon';

/** A ready-to-copy snippet (a shell command, a config block). */
export function CodeBlock({ code, label, testId }: { code: string; label: string; testId?: string }) {
  const pre = useRef<HTMLPreElement>(null);
  const [copied, copy] = useCopy(code, pre);
  return (
    <figure className="codeblock">
      <figcaption className="codeblock__head">
        <span>{label}</span>
        <button
          type="button"
          className="btn btn--ghost btn--sm codeblock__copy"
          onClick={copy}
          aria-live="polite"
          aria-label={copied === 'copied' ? `${label} copied` : `Copy ${label.toLowerCase()}`}
        >
          <Icon name={copied === 'copied' ? 'check' : 'copy'} size={14} />
          {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Press Ctrl+C' : 'Copy'}
        </button>
      </figcaption>
      <pre ref={pre} className="codeblock__code" tabIndex={0} data-testid={testId}>
        <code>{code}</code>
      </pre>
    </figure>
  );
}
