'use client';

import { useEffect, useRef, useState } from 'react';
import { usePathname, useRouter } from 'next/navigation';
import type { CrmProvider } from '@/api/types';
import { Icon } from '@/components/Icon';
import { CRM_INFO } from './crm';

/**
 * What came back from a CRM's consent page: `?connected=hubspot` (success) or `?connection_error=…`.
 * Dismissing it also drops the query, so a reload doesn't show it again.
 */
export function ConnectionResult({ connected, error }: { connected?: CrmProvider; error?: string }) {
  const [open, setOpen] = useState(true);
  const router = useRouter();
  const pathname = usePathname();
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    box.current?.focus();
  }, []);

  if (!open || (!connected && !error)) return null;

  function dismiss() {
    setOpen(false);
    router.replace(pathname, { scroll: false });
  }

  const name = connected ? CRM_INFO[connected].name : null;
  return error ? (
    <div
      ref={box}
      tabIndex={-1}
      className="alert alert--error connection-result"
      role="alert"
      data-testid="connection-error"
    >
      <Icon name="alert" size={18} />
      <p>
        <strong>The CRM connection was not completed.</strong> {error}
      </p>
      <button type="button" className="btn btn--ghost btn--sm alert__close" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  ) : (
    <div
      ref={box}
      tabIndex={-1}
      className="alert alert--success connection-result"
      role="status"
      data-testid="connection-success"
    >
      <Icon name="check" size={18} />
      <p>
        <strong>{name} is connected</strong> — the first sync starts shortly.{' '}
        <a href="#crm-title">See the connection</a>
      </p>
      <button type="button" className="btn btn--ghost btn--sm alert__close" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
