'use client';

import { useEffect, useState } from 'react';
import { api } from '@/api/client';
import { describeApiError, settle } from '@/api/errors';
import { RelativeTime } from '@/components/RelativeTime';
import type { MailboxEmail } from '@/components/journey-canvas/types';

const POLL_MS = 2_000;

/** The sandbox mailbox, refreshed every two seconds. */
export function Mailbox({ workspaceId }: { workspaceId: string }) {
  const [emails, setEmails] = useState<MailboxEmail[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = async () => {
      const r = await settle(
        api.GET('/api/workspaces/{workspaceId}/mailbox', {
          params: { path: { workspaceId }, query: { limit: '100' } },
        }),
      );
      if (!live) return;
      if (r.ok) {
        setEmails(r.result.data ?? []);
        setError(null);
      } else setError(describeApiError(r.error));
    };
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [workspaceId]);

  const selected = emails?.find((e) => e.id === open) ?? null;
  if (error) return <p className="alert alert--error">{error}</p>;
  if (!emails) return <p className="muted">Loading…</p>;
  if (!emails.length)
    return (
      <p className="muted" data-testid="mailbox-empty">
        No emails yet.
      </p>
    );
  return (
    <div className="jt-layout">
      <section className="panel" aria-label="Emails">
        <ul className="jt-list" data-testid="mailbox-list">
          {emails.map((e) => (
            <li key={e.id}>
              <button
                type="button"
                aria-current={e.id === open}
                onClick={() => setOpen(e.id)}
                data-testid="mailbox-item"
              >
                <span className="cell-strong">{e.subject}</span>
                <br />
                <span className="muted small">
                  {e.to} · {e.kind === 'test' ? 'test' : 'journey'} · <RelativeTime iso={e.createdAt} />
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section className="panel" aria-label="Email">
        <div className="panel__body">
          {selected ? (
            <div className="jt-preview">
              <p className="muted small">
                From {selected.from} to {selected.to} · {selected.status}
              </p>
              <p className="jt-preview__subject">{selected.subject}</p>
              <iframe className="jt-frame" title="Email" sandbox="" srcDoc={selected.html} />
            </div>
          ) : (
            <p className="muted">Select an email to read it.</p>
          )}
        </div>
      </section>
    </div>
  );
}
