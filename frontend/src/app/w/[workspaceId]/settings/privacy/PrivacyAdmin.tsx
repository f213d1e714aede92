'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '@/api/client';
import { describeApiError, settle } from '@/api/errors';
import type { Erasure, ProfileSummary } from '@/api/types';
import { formatDateTime, formatFullDateTime, formatRelative, plural, shortId } from '@/lib/format';
import { useHydrated } from '@/lib/useHydrated';
import { Icon } from '@/components/Icon';

type Kind = 'email' | 'userId' | 'profileId';

const KINDS: { kind: Kind; label: string; field: string; placeholder: string; hint: string }[] = [
  {
    kind: 'email',
    label: 'Email',
    field: 'Email address',
    placeholder: 'name@example.com',
    hint: 'Any email address Cairn has linked to the person.',
  },
  {
    kind: 'userId',
    label: 'User ID',
    field: 'User ID',
    placeholder: 'user-123',
    hint: 'The userId your product sends to Segment.',
  },
  {
    kind: 'profileId',
    label: 'Profile ID',
    field: 'Profile ID',
    placeholder: '00000000-0000-0000-0000-000000000000',
    hint: 'Shown on the prospect’s page under Details.',
  },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface Pending {
  kind: Kind;
  value: string;
  /** The profile this identifier points to, when the browser could look it up. */
  match: ProfileSummary | null;
}

function describeSubject(kind: Kind, value: string): string {
  if (kind === 'email') return `the person with email ${value}`;
  if (kind === 'userId') return `the person with user ID ${value}`;
  return `profile ${value}`;
}

function deletedSummary(d: Erasure['deleted']): string {
  return `${plural(d.profiles, 'profile')} · ${plural(d.identities, 'identity', 'identities')} · ${plural(d.events, 'event')}`;
}

export function PrivacyAdmin({
  workspaceId,
  currentUserEmail,
  initialErasures,
}: {
  workspaceId: string;
  currentUserEmail: string;
  initialErasures: Erasure[];
}) {
  const [erasures, setErasures] = useState(initialErasures);
  const [kind, setKind] = useState<Kind>('email');
  const [value, setValue] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const [erasing, setErasing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Erasure | null>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  const hydrated = useHydrated();
  const current = KINDS.find((k) => k.kind === kind) ?? KINDS[0]!;

  useEffect(() => {
    if (pending) confirmHeading.current?.focus();
  }, [pending]);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  async function review(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const v = value.trim();
    setError(null);
    setDone(null);
    if (!v) return setFieldError(`Enter the ${current.field.toLowerCase()}.`);
    if (kind === 'email' && !EMAIL.test(v)) return setFieldError('Enter a valid email address.');
    if (kind === 'profileId' && !UUID.test(v))
      return setFieldError('A profile ID looks like 8-4-4-4-12 hex digits.');
    setFieldError(null);
    setReviewing(true);
    let match: ProfileSummary | null = null;
    if (kind === 'profileId') {
      const r = await settle(
        api.GET('/api/workspaces/{workspaceId}/profiles/{profileId}', {
          params: { path: { workspaceId, profileId: v } },
        }),
      );
      if (!r.ok && r.status === 404) {
        setReviewing(false);
        return setFieldError('No profile with this ID exists in this workspace.');
      }
      if (r.ok && r.result.data) {
        const p = r.result.data;
        match = {
          id: p.id,
          email: p.email,
          name: p.name,
          accountName: p.account?.name ?? null,
          firstSeenAt: p.firstSeenAt,
          lastSeenAt: p.lastSeenAt,
          consent: p.consent,
        };
      }
    } else if (kind === 'email') {
      const r = await settle(
        api.GET('/api/workspaces/{workspaceId}/profiles', {
          params: { path: { workspaceId }, query: { q: v, limit: 20 } },
        }),
      );
      if (r.ok) match = (r.result.data ?? []).find((p) => p.email?.toLowerCase() === v.toLowerCase()) ?? null;
    }
    setReviewing(false);
    setPending({ kind, value: v, match });
  }

  async function erase() {
    if (!pending) return;
    setErasing(true);
    setError(null);
    const body =
      pending.kind === 'email'
        ? { email: pending.value }
        : pending.kind === 'userId'
          ? { userId: pending.value }
          : { profileId: pending.value };
    const outcome = await settle(
      api.POST('/api/workspaces/{workspaceId}/privacy/erasures', { params: { path: { workspaceId } }, body }),
    );
    setErasing(false);
    if (!outcome.ok) {
      setError(
        outcome.error.code === 'profiles.not_found'
          ? `Nothing to erase: no one in this workspace has that ${current.label.toLowerCase()}.`
          : describeApiError(outcome.error),
      );
      return;
    }
    // The create response leaves `requestedBy` empty; it was this admin.
    const created = outcome.result.data
      ? { ...outcome.result.data, requestedBy: outcome.result.data.requestedBy ?? currentUserEmail }
      : undefined;
    setPending(null);
    setValue('');
    if (created) {
      setDone(created);
      setErasures((list) => [created, ...list.filter((e) => e.id !== created.id)]);
    }
    const list = await settle(
      api.GET('/api/workspaces/{workspaceId}/privacy/erasures', { params: { path: { workspaceId } } }),
    );
    if (list.ok && list.result.data) setErasures(list.result.data);
  }

  return (
    <div className="stack-lg">
      <section className="panel" aria-labelledby="erase-title" data-testid="erasure-panel">
        <h2 id="erase-title" className="panel__title">
          Erase a person
        </h2>
        <p className="muted small panel__subtitle">
          Find the person by one identifier. You’ll see exactly what will be deleted before anything happens.
        </p>

        <form className="erase-form" onSubmit={review} noValidate data-testid="erasure-form">
          <fieldset className="segmented" disabled={Boolean(pending)}>
            <legend className="field__label">Identify them by</legend>
            <div className="segmented__options">
              {KINDS.map((k) => (
                <label key={k.kind} className="segmented__option">
                  <input
                    type="radio"
                    name="kind"
                    value={k.kind}
                    checked={kind === k.kind}
                    onChange={() => {
                      setKind(k.kind);
                      setFieldError(null);
                    }}
                  />
                  <span>{k.label}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <div className="inline-form">
            <div className="field inline-form__grow">
              <label className="field__label" htmlFor="erase-value">
                {current.field}
              </label>
              <input
                id="erase-value"
                className={`input${kind === 'profileId' ? ' input--mono' : ''}`}
                type={kind === 'email' ? 'email' : 'text'}
                autoComplete="off"
                spellCheck={false}
                placeholder={current.placeholder}
                value={value}
                disabled={Boolean(pending)}
                onChange={(e) => {
                  setValue(e.target.value);
                  setFieldError(null);
                }}
                aria-invalid={fieldError ? true : undefined}
                aria-describedby={fieldError ? 'erase-value-error' : 'erase-value-hint'}
                data-testid="erasure-value"
              />
            </div>
            <div className="inline-form__submit">
              <button
                type="submit"
                className="btn btn--secondary"
                disabled={!hydrated || reviewing || Boolean(pending)}
              >
                {reviewing ? 'Looking up…' : 'Review erasure'}
              </button>
            </div>
          </div>
          {fieldError ? (
            <p className="field__hint field__hint--error" id="erase-value-error" role="alert">
              {fieldError}
            </p>
          ) : (
            <p className="field__hint" id="erase-value-hint">
              {current.hint}
            </p>
          )}
        </form>

        {pending ? (
          <div
            className="danger-zone"
            role="region"
            aria-labelledby="erase-confirm-title"
            data-testid="erasure-confirm"
          >
            <h3 id="erase-confirm-title" ref={confirmHeading} tabIndex={-1} className="danger-zone__title">
              <Icon name="alert" size={18} />
              Erase {describeSubject(pending.kind, pending.value)}?
            </h3>
            {pending.match ? (
              <p className="danger-zone__who">
                This is <strong>{pending.match.name || pending.match.email || 'an anonymous visitor'}</strong>
                {pending.match.name && pending.match.email ? ` (${pending.match.email})` : ''}
                {pending.match.accountName ? ` at ${pending.match.accountName}` : ''}, last seen{' '}
                <time
                  dateTime={pending.match.lastSeenAt}
                  title={formatFullDateTime(pending.match.lastSeenAt)}
                >
                  {formatRelative(pending.match.lastSeenAt)}
                </time>
                .
              </p>
            ) : null}
            <p>Cairn will permanently delete:</p>
            <ul className="danger-zone__list">
              <li>their profile, and every profile that was merged into it;</li>
              <li>
                every identity linked to them — email addresses, user IDs, anonymous IDs and CRM record links;
              </li>
              <li>every event recorded for them, and their merge history.</li>
            </ul>
            <p className="small">
              Cairn keeps only a one-way fingerprint of those identifiers, so events that still arrive for
              this person are dropped instead of re-creating them. Records in your CRM are not changed.{' '}
              <strong>This can’t be undone.</strong>
            </p>
            {error ? (
              <div className="alert alert--error" role="alert" data-testid="erasure-error">
                <Icon name="alert" size={18} />
                <p>{error}</p>
              </div>
            ) : null}
            <div className="danger-zone__actions">
              <button
                type="button"
                className="btn btn--danger"
                disabled={erasing}
                onClick={() => void erase()}
                data-testid="erasure-confirm-button"
              >
                {erasing ? 'Erasing…' : 'Erase permanently'}
              </button>
              <button
                type="button"
                className="btn btn--ghost"
                disabled={erasing}
                onClick={() => {
                  setPending(null);
                  setError(null);
                }}
              >
                Cancel
              </button>
            </div>
          </div>
        ) : null}

        {done ? (
          <div
            className="invite-created"
            role="status"
            data-testid="erasure-done"
            ref={doneRef}
            tabIndex={-1}
          >
            <div className="invite-created__head">
              <Icon name="check" size={18} />
              <p>
                Erased: {deletedSummary(done.deleted)}. The request is recorded below, without the person’s
                identifiers.
              </p>
            </div>
          </div>
        ) : null}
      </section>

      <section className="panel panel--flush" aria-labelledby="erasures-title">
        <header className="panel__header">
          <h2 id="erasures-title" className="panel__title">
            Erasure log <span className="count">{erasures.length}</span>
          </h2>
        </header>
        {erasures.length === 0 ? (
          <p className="panel__empty" data-testid="erasures-empty">
            No erasure requests yet.
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="erasures-table">
              <thead>
                <tr>
                  <th scope="col">Requested</th>
                  <th scope="col">By</th>
                  <th scope="col">Profile</th>
                  <th scope="col">Deleted</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {erasures.map((e) => (
                  <tr key={e.id} data-testid="erasure-row">
                    <td>
                      <time
                        dateTime={e.requestedAt}
                        title={formatFullDateTime(e.requestedAt)}
                        suppressHydrationWarning
                      >
                        {formatDateTime(e.requestedAt)}
                      </time>
                    </td>
                    <td>{e.requestedBy ?? <span className="muted">Deleted user</span>}</td>
                    <td>
                      <code title={e.profileId}>{shortId(e.profileId)}</code>
                    </td>
                    <td className="muted">{deletedSummary(e.deleted)}</td>
                    <td>
                      <span
                        className={`badge badge--status-${e.status}`}
                        title={e.completedAt ? `Finished ${formatFullDateTime(e.completedAt)}` : undefined}
                      >
                        {e.status === 'completed' ? 'Completed' : e.status === 'failed' ? 'Failed' : e.status}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
