'use client';

import { useEffect, useRef, useState, type RefObject } from 'react';

export type CopyState = 'idle' | 'copied' | 'failed';

/**
 * Copies a value with the clipboard API and falls back to selecting `fallback`'s text and
 * `execCommand('copy')` (plain http has no clipboard API). The state resets after 2.5 s.
 */
export function useCopy(
  value: string,
  fallback: RefObject<HTMLInputElement | HTMLTextAreaElement | HTMLElement | null>,
): [CopyState, () => Promise<void>] {
  const [state, setState] = useState<CopyState>('idle');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

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
    const el = fallback.current;
    if (!ok && el) {
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
        el.focus();
        el.select();
      } else {
        const range = document.createRange();
        range.selectNodeContents(el);
        const selection = window.getSelection();
        selection?.removeAllRanges();
        selection?.addRange(range);
      }
      try {
        ok = document.execCommand('copy');
      } catch {
        ok = false;
      }
    }
    setState(ok ? 'copied' : 'failed');
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setState('idle'), 2500);
  }

  return [state, copy];
}
