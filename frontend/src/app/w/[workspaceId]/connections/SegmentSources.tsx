'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import Link from 'next/link';
import { api } from '@/api/client';
import { describeApiError, settle } from '@/api/errors';
import type { Source, SourceWithKey } from '@/api/types';
import { formatDate } from '@/lib/format';
import { useHydrated } from '@/lib/useHydrated';
import { useOrigin } from '@/lib/useOrigin';
import { CopyField } from '@/components/CopyField';
import { Icon } from '@/components/Icon';
import { ConfirmGroup } from '@/components/ConfirmGroup';

interface Props {
  workspaceId: string;
  canManage: boolean;
  initialSources: Source[];
}

interface RevealedKey {
  sourceId: string;
  writeKey: string;
  kind: 'created' | 'rotated';
}

type Confirming = { sourceId: string; action: 'rotate' | 'revoke' } | null;

/** Active sources first (oldest first, as the API lists them), revoked ones after. */
function ordered(sources: Source[]): Source[] {
  return [...sources.filter((s) => !s.revokedAt), ...sources.filter((s) => s.revokedAt)];
}

export function SegmentSources({ workspaceId, canManage, initialSources }: Props) {
  const [sources, setSources] = useState(() => ordered(initialSources));
  const [revealed, setRevealed] = useState<RevealedKey | null>(null);
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const origin = useOrigin();
  const hydrated = useHydrated();
  const ws = { path: { workspaceId } };

  async function reload() {
    const outcome = await settle(api.GET('/api/workspaces/{workspaceId}/sources', { params: ws }));
    if (outcome.ok && outcome.result.data) setSources(ordered(outcome.result.data));
  }

  function upsert(source: SourceWithKey | Source) {
    const { id, name, writeKeyHint, webhookPath, createdAt, rotatedAt, revokedAt } = source;
    const plain: Source = { id, name, writeKeyHint, webhookPath, createdAt, rotatedAt, revokedAt };
    setSources((list) =>
      ordered(list.some((s) => s.id === id) ? list.map((s) => (s.id === id ? plain : s)) : [...list, plain]),
    );
  }

  function onCreated(source: SourceWithKey) {
    upsert(source);
    setRevealed({ sourceId: source.id, writeKey: source.writeKey, kind: 'created' });
  }

  async function rotate(source: Source) {
    setBusy(source.id);
    setError(null);
    const outcome = await settle(
      api.POST('/api/workspaces/{workspaceId}/sources/{sourceId}/rotate', {
        params: { path: { workspaceId, sourceId: source.id } },
      }),
    );
    setBusy(null);
    setConfirming(null);
    if (!outcome.ok) {
      setError(describeApiError(outcome.error));
      if (outcome.status === 404) await reload();
      return;
    }
    const data = outcome.result.data;
    if (data) {
      upsert(data);
      setRevealed({ sourceId: data.id, writeKey: data.writeKey, kind: 'rotated' });
    }
  }

  async function revoke(source: Source) {
    setBusy(source.id);
    setError(null);
    const outcome = await settle(
      api.DELETE('/api/workspaces/{workspaceId}/sources/{sourceId}', {
        params: { path: { workspaceId, sourceId: source.id } },
      }),
    );
    setBusy(null);
    setConfirming(null);
    if (!outcome.ok && outcome.status !== 404) {
      setError(describeApiError(outcome.error));
      return;
    }
    if (revealed?.sourceId === source.id) setRevealed(null);
    setSecrets(({ [source.id]: _dropped, ...rest }) => rest);
    await reload();
  }

  async function revealSecret(source: Source) {
    setBusy(source.id);
    setError(null);
    const outcome = await settle(
      api.GET('/api/workspaces/{workspaceId}/sources/{sourceId}/webhook-secret', {
        params: { path: { workspaceId, sourceId: source.id } },
      }),
    );
    setBusy(null);
    if (!outcome.ok) {
      setError(describeApiError(outcome.error));
      return;
    }
    const secret = outcome.result.data?.secret;
    if (secret) setSecrets((all) => ({ ...all, [source.id]: secret }));
  }

  const active = sources.filter((s) => !s.revokedAt);
  const base = `/w/${encodeURIComponent(workspaceId)}`;

  return (
    <section className="panel panel--flush" aria-labelledby="segment-title" data-testid="segment-sources">
      <header className="panel__header panel__header--split">
        <div className="panel__heading">
          <span className="provider-mark provider-mark--segment" aria-hidden="true">
            Sg
          </span>
          <div>
            <h2 id="segment-title" className="panel__title">
              Segment sources <span className="count">{active.length}</span>
            </h2>
            <p className="muted small">
              Behavioural events from your website and product. Each source has its own write key.
            </p>
          </div>
        </div>
      </header>

      <div className="panel__body">
        <CopyField
          label="Tracking API host"
          value={origin}
          testId="tracking-host"
          hint={
            <>
              Cairn serves Segment’s tracking API on this address — <code>/v1/batch</code>,{' '}
              <code>/v1/track</code>, <code>/v1/identify</code>, <code>/v1/page</code>… — authenticated with a
              source’s write key as the Basic-auth user name. Set it as the <code>host</code> of{' '}
              <code>@segment/analytics-node</code>, or as the API host of any Segment library.
            </>
          }
        />
        {canManage ? <AddSourceForm workspaceId={workspaceId} onCreated={onCreated} /> : null}
      </div>

      {error ? (
        <div className="panel__body panel__body--tight">
          <div className="alert alert--error" role="alert" data-testid="sources-error">
            <Icon name="alert" size={18} />
            <p>{error}</p>
            <button
              type="button"
              className="btn btn--ghost btn--sm alert__close"
              onClick={() => setError(null)}
            >
              Dismiss
            </button>
          </div>
        </div>
      ) : null}

      {sources.length === 0 ? (
        <p className="panel__empty" data-testid="sources-empty">
          {canManage
            ? 'No sources yet. Add one for each website or app that sends events, then paste its write key into Segment.'
            : 'No sources yet. A workspace admin adds one for each website or app that sends events.'}
        </p>
      ) : (
        <ul className="source-list" aria-label="Segment sources">
          {sources.map((s) => {
            const revoked = Boolean(s.revokedAt);
            const isConfirming = confirming?.sourceId === s.id ? confirming.action : null;
            const webhookUrl = `${origin}${s.webhookPath}`;
            return (
              <li
                key={s.id}
                className={`source${revoked ? ' source--revoked' : ''}`}
                data-testid="source-row"
                data-name={s.name}
              >
                <div className="source__head">
                  <div className="source__text">
                    <h3 className="source__name">
                      {s.name}
                      {revoked ? <span className="badge badge--revoked">Revoked</span> : null}
                    </h3>
                    <p className="source__meta">
                      <span>
                        Write key <code>{s.writeKeyHint}</code>
                      </span>
                      <span>
                        Created <time dateTime={s.createdAt}>{formatDate(s.createdAt)}</time>
                      </span>
                      {s.rotatedAt ? (
                        <span>
                          Rotated <time dateTime={s.rotatedAt}>{formatDate(s.rotatedAt)}</time>
                        </span>
                      ) : (
                        <span>Never rotated</span>
                      )}
                      {s.revokedAt ? (
                        <span>
                          Revoked <time dateTime={s.revokedAt}>{formatDate(s.revokedAt)}</time>
                        </span>
                      ) : null}
                    </p>
                  </div>
                  {canManage && !revoked ? (
                    isConfirming ? (
                      <ConfirmGroup
                        stacked
                        label={isConfirming === 'rotate' ? `Rotate key of ${s.name}?` : `Revoke ${s.name}?`}
                        text={
                          isConfirming === 'rotate'
                            ? 'The current key stops working at once.'
                            : 'Events sent with its key or webhook will be refused.'
                        }
                        tone={isConfirming === 'rotate' ? 'primary' : 'danger'}
                        confirmLabel={isConfirming === 'rotate' ? 'Confirm rotate' : 'Confirm revoke'}
                        busy={busy === s.id}
                        onConfirm={() => void (isConfirming === 'rotate' ? rotate(s) : revoke(s))}
                        onCancel={() => setConfirming(null)}
                      />
                    ) : (
                      <div className="source__actions">
                        <button
                          type="button"
                          className="btn btn--secondary btn--sm"
                          aria-label={`Rotate write key of ${s.name}`}
                          disabled={!hydrated || busy === s.id}
                          onClick={() => setConfirming({ sourceId: s.id, action: 'rotate' })}
                        >
                          <Icon name="refresh" size={14} />
                          Rotate key
                        </button>
                        <button
                          type="button"
                          className="btn btn--ghost-danger btn--sm"
                          aria-label={`Revoke ${s.name}`}
                          disabled={!hydrated || busy === s.id}
                          onClick={() => setConfirming({ sourceId: s.id, action: 'revoke' })}
                        >
                          Revoke
                        </button>
                      </div>
                    )
                  ) : null}
                </div>

                {revealed && revealed.sourceId === s.id ? (
                  <NewKey
                    sourceName={s.name}
                    revealed={revealed}
                    origin={origin}
                    eventsHref={`${base}/connections/events`}
                    onDone={() => setRevealed(null)}
                  />
                ) : null}

                {revoked ? null : (
                  <div className="source__webhook">
                    <CopyField
                      label="Webhook URL"
                      value={webhookUrl}
                      testId="source-webhook-url"
                      hint="For a Segment Webhooks destination; Cairn checks each delivery’s X-Signature."
                    />
                    {canManage ? (
                      secrets[s.id] ? (
                        <div className="source__secret">
                          <CopyField
                            label="Webhook secret"
                            value={secrets[s.id] ?? ''}
                            testId="source-webhook-secret"
                          />
                          <button
                            type="button"
                            className="btn btn--ghost btn--sm"
                            onClick={() => setSecrets(({ [s.id]: _hidden, ...rest }) => rest)}
                          >
                            Hide secret
                          </button>
                        </div>
                      ) : (
                        <div className="field source__secret">
                          <span className="field__label">Webhook secret</span>
                          <div>
                            <button
                              type="button"
                              className="btn btn--secondary"
                              aria-label={`Reveal webhook secret of ${s.name}`}
                              disabled={!hydrated || busy === s.id}
                              onClick={() => void revealSecret(s)}
                            >
                              <Icon name="eye" size={16} />
                              Reveal secret
                            </button>
                          </div>
                          <p className="field__hint">
                            Enter it as the shared secret of the webhook destination.
                          </p>
                        </div>
                      )
                    ) : null}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function NewKey({
  sourceName,
  revealed,
  origin,
  eventsHref,
  onDone,
}: {
  sourceName: string;
  revealed: RevealedKey;
  origin: string;
  eventsHref: string;
  onDone: () => void;
}) {
  const heading = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [revealed.writeKey]);

  return (
    <div className="key-reveal" data-testid="source-key-reveal" role="status">
      <div className="key-reveal__head">
        <Icon name="key" size={18} />
        <p ref={heading} tabIndex={-1}>
          {revealed.kind === 'created' ? (
            <>
              <strong>{sourceName}</strong> is ready. Copy its write key now:{' '}
              <strong>you won’t see it again</strong> — Cairn keeps only a fingerprint of it.
            </>
          ) : (
            <>
              New write key for <strong>{sourceName}</strong>; the old one no longer works. Copy it now:{' '}
              <strong>you won’t see it again</strong>.
            </>
          )}
        </p>
      </div>
      <CopyField label="Write key" value={revealed.writeKey} testId="source-write-key" />
      <p className="small key-reveal__how">
        In Segment, paste it as the write key and set the host to <code>{origin || 'this web address'}</code>.
        To send a test event, use the curl example in the <Link href={eventsHref}>event debugger</Link>.
      </p>
      <div>
        <button type="button" className="btn btn--secondary btn--sm" onClick={onDone}>
          I’ve copied it
        </button>
      </div>
    </div>
  );
}

function AddSourceForm({
  workspaceId,
  onCreated,
}: {
  workspaceId: string;
  onCreated: (source: SourceWithKey) => void;
}) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = name.trim();
    if (!value) {
      setError('Name the source, for example “Website” or “Product app”.');
      return;
    }
    setBusy(true);
    setError(null);
    const outcome = await settle(
      api.POST('/api/workspaces/{workspaceId}/sources', {
        params: { path: { workspaceId } },
        body: { name: value },
      }),
    );
    setBusy(false);
    if (!outcome.ok) {
      setError(describeApiError(outcome.error));
      return;
    }
    if (outcome.result.data) onCreated(outcome.result.data);
    setName('');
  }

  return (
    <form className="inline-form" onSubmit={onSubmit} data-testid="source-create-form" noValidate>
      <div className="field inline-form__grow">
        <label className="field__label" htmlFor="source-name">
          New source name
        </label>
        <input
          id="source-name"
          className="input"
          name="name"
          autoComplete="off"
          placeholder="Website"
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'source-name-error' : undefined}
          required
        />
      </div>
      <div className="inline-form__submit">
        <button type="submit" className="btn btn--primary" disabled={!hydrated || busy}>
          <Icon name="plus" size={16} />
          {busy ? 'Adding…' : 'Add source'}
        </button>
      </div>
      {error ? (
        <p className="field__hint field__hint--error inline-form__error" id="source-name-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
