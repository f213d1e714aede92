'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '@/api/client';
import { describeApiError, settle } from '@/api/errors';
import type { OutboundSettings, OutboundTestResult } from '@/api/types';
import { useHydrated } from '@/lib/useHydrated';
import { Icon } from '@/components/Icon';
import { ConfirmGroup } from '@/components/ConfirmGroup';

const DEFAULT_HOST = 'https://api.segment.io';

const EVENTS: { name: string; text: string }[] = [
  { name: 'Journey Stage Changed', text: 'a prospect moves to another journey stage' },
  { name: 'Drop-off Risk Changed', text: 'a prospect’s drop-off risk goes up or down' },
  { name: 'Intervention Sent', text: 'Cairn triggers an intervention for a prospect' },
];

const TEST_OUTCOMES: Record<OutboundTestResult, { tone: 'ok' | 'warn'; text: string }> = {
  sent: {
    tone: 'ok',
    text: 'Sent: the host accepted a “Cairn Test Event”. Look for it in the Segment source’s debugger.',
  },
  'not-configured': {
    tone: 'warn',
    text: 'Not sent: sending is turned off. Change the settings, tick “Send Cairn’s events” and save.',
  },
  'no-consent': {
    tone: 'warn',
    text: 'Not sent: the test person has denied consent, and Cairn never sends events about them.',
  },
};

type TestState = { kind: 'result'; result: OutboundTestResult } | { kind: 'error'; message: string } | null;

export function OutboundSegment({
  workspaceId,
  initialSettings,
}: {
  workspaceId: string;
  initialSettings: OutboundSettings;
}) {
  const [settings, setSettings] = useState(initialSettings);
  const [editing, setEditing] = useState(!initialSettings.configured);
  const [confirmingRemove, setConfirmingRemove] = useState(false);
  const [busy, setBusy] = useState<'remove' | 'test' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [test, setTest] = useState<TestState>(null);
  const [saved, setSaved] = useState(false);
  const hydrated = useHydrated();
  const ws = { path: { workspaceId } };

  function onSaved(next: OutboundSettings) {
    setSettings(next);
    setEditing(false);
    setTest(null);
    setSaved(true);
  }

  async function remove() {
    setBusy('remove');
    setError(null);
    const outcome = await settle(
      api.DELETE('/api/workspaces/{workspaceId}/outbound/segment', { params: ws }),
    );
    setBusy(null);
    setConfirmingRemove(false);
    if (!outcome.ok && outcome.status !== 404) {
      setError(describeApiError(outcome.error));
      return;
    }
    setSettings({ configured: false, host: DEFAULT_HOST, enabled: false, writeKeyHint: null });
    setTest(null);
    setSaved(false);
    setEditing(true);
  }

  async function sendTest() {
    setBusy('test');
    setTest(null);
    setSaved(false);
    const outcome = await settle(
      api.POST('/api/workspaces/{workspaceId}/outbound/segment/test', { params: ws }),
    );
    setBusy(null);
    if (!outcome.ok) {
      setTest({ kind: 'error', message: describeApiError(outcome.error) });
      return;
    }
    const result = outcome.result.data?.result;
    if (result) setTest({ kind: 'result', result });
  }

  return (
    <section className="panel panel--flush" aria-labelledby="outbound-title" data-testid="outbound-segment">
      <header className="panel__header">
        <div className="panel__heading">
          <span className="provider-mark provider-mark--segment" aria-hidden="true">
            Sg
          </span>
          <div>
            <h2 id="outbound-title" className="panel__title">
              Send Cairn events to Segment
              {settings.configured ? (
                <span
                  className={`badge ${settings.enabled ? 'badge--status-completed' : 'badge--soon'} panel__badge`}
                  data-testid="outbound-status"
                >
                  {settings.enabled ? 'Sending' : 'Paused'}
                </span>
              ) : null}
            </h2>
            <p className="muted small">
              Cairn sends its own events to a Segment source, so your other tools can act on them.
            </p>
          </div>
        </div>
      </header>

      <div className="panel__body">
        <ul className="outbound-events" aria-label="Events Cairn sends">
          {EVENTS.map((e) => (
            <li key={e.name}>
              <code>{e.name}</code>
              <span className="muted small">when {e.text}</span>
            </li>
          ))}
        </ul>
        <p className="field__hint">Events about people who denied consent are never sent.</p>
      </div>

      {error ? (
        <div className="panel__body panel__body--tight">
          <div className="alert alert--error" role="alert" data-testid="outbound-error">
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

      {settings.configured ? (
        <div className="source" data-testid="outbound-summary">
          <div className="source__head">
            <div className="source__text">
              <h3 className="source__name">Destination source</h3>
              <p className="source__meta">
                <span>
                  Write key <code data-testid="outbound-key-hint">{settings.writeKeyHint ?? 'hidden'}</code>
                </span>
                <span>
                  Host <code data-testid="outbound-host-value">{settings.host}</code>
                </span>
              </p>
            </div>
            {confirmingRemove ? (
              <ConfirmGroup
                stacked
                label="Stop sending events to Segment?"
                text="Cairn forgets the write key and stops sending events."
                confirmLabel="Confirm remove"
                busy={busy === 'remove'}
                onConfirm={() => void remove()}
                onCancel={() => setConfirmingRemove(false)}
              />
            ) : editing ? null : (
              <div className="source__actions">
                <button
                  type="button"
                  className="btn btn--secondary btn--sm"
                  disabled={!hydrated || busy !== null}
                  onClick={() => {
                    setEditing(true);
                    setSaved(false);
                  }}
                >
                  Change settings
                </button>
                <button
                  type="button"
                  className="btn btn--ghost-danger btn--sm"
                  aria-label="Remove the Segment destination"
                  disabled={!hydrated || busy !== null}
                  onClick={() => setConfirmingRemove(true)}
                >
                  Remove
                </button>
              </div>
            )}
          </div>

          {saved ? (
            <p className="status status--ok small" role="status" data-testid="outbound-saved">
              <Icon name="check" size={14} />
              Saved. Cairn keeps the write key encrypted and shows only its first and last characters.
            </p>
          ) : null}

          {editing ? null : (
            <div className="outbound-test">
              <button
                type="button"
                className="btn btn--secondary"
                disabled={!hydrated || busy !== null}
                onClick={() => void sendTest()}
                data-testid="outbound-test"
              >
                <Icon name="play" size={14} />
                {busy === 'test' ? 'Sending…' : 'Send test event'}
              </button>
              <p
                className="outbound-test__result small"
                role="status"
                aria-live="polite"
                data-testid="outbound-test-result"
                data-result={test?.kind === 'result' ? test.result : test ? 'error' : undefined}
              >
                {test?.kind === 'result' ? (
                  <span
                    className={
                      TEST_OUTCOMES[test.result].tone === 'ok' ? 'status status--ok' : 'status--warn'
                    }
                  >
                    {TEST_OUTCOMES[test.result].tone === 'ok' ? <Icon name="check" size={14} /> : null}
                    {TEST_OUTCOMES[test.result].text}
                  </span>
                ) : test?.kind === 'error' ? (
                  <span className="status--error">Not sent: {test.message}</span>
                ) : (
                  <span className="muted">
                    Sends a “Cairn Test Event” and waits until the host accepts it.
                  </span>
                )}
              </p>
            </div>
          )}
        </div>
      ) : null}

      {editing ? (
        <OutboundForm
          workspaceId={workspaceId}
          current={settings}
          onSaved={onSaved}
          onCancel={settings.configured ? () => setEditing(false) : undefined}
        />
      ) : null}
    </section>
  );
}

function OutboundForm({
  workspaceId,
  current,
  onSaved,
  onCancel,
}: {
  workspaceId: string;
  current: OutboundSettings;
  onSaved: (settings: OutboundSettings) => void;
  onCancel?: () => void;
}) {
  const [writeKey, setWriteKey] = useState('');
  const [host, setHost] = useState(current.host || DEFAULT_HOST);
  const [enabled, setEnabled] = useState(current.configured ? current.enabled : true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [keyError, setKeyError] = useState<string | null>(null);
  const keyInput = useRef<HTMLInputElement>(null);
  const hydrated = useHydrated();

  useEffect(() => {
    if (current.configured) keyInput.current?.focus();
  }, [current.configured]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    if (!writeKey.trim()) {
      setKeyError('Paste the write key of the Segment source that should receive Cairn’s events.');
      keyInput.current?.focus();
      return;
    }
    setKeyError(null);
    setBusy(true);
    const h = host.trim();
    const outcome = await settle(
      api.PUT('/api/workspaces/{workspaceId}/outbound/segment', {
        params: { path: { workspaceId } },
        body: { writeKey: writeKey.trim(), enabled, ...(h ? { host: h } : {}) },
      }),
    );
    setBusy(false);
    if (!outcome.ok) {
      setError(describeApiError(outcome.error));
      return;
    }
    setWriteKey('');
    if (outcome.result.data) onSaved(outcome.result.data);
  }

  return (
    <form className="outbound-form" onSubmit={onSubmit} noValidate data-testid="outbound-form">
      <div className="outbound-form__fields">
        <div className="field">
          <label className="field__label" htmlFor="outbound-write-key">
            Write key
          </label>
          <input
            ref={keyInput}
            id="outbound-write-key"
            className="input input--mono"
            type="password"
            name="writeKey"
            autoComplete="off"
            spellCheck={false}
            maxLength={200}
            value={writeKey}
            onChange={(e) => {
              setWriteKey(e.target.value);
              setKeyError(null);
            }}
            aria-invalid={keyError ? true : undefined}
            aria-describedby={keyError ? 'outbound-write-key-error' : 'outbound-write-key-hint'}
            data-testid="outbound-write-key"
            required
          />
          {keyError ? (
            <p className="field__hint field__hint--error" id="outbound-write-key-error" role="alert">
              {keyError}
            </p>
          ) : (
            <p className="field__hint" id="outbound-write-key-hint">
              {current.configured
                ? `Enter the key again to change the settings (saved key ${current.writeKeyHint ?? 'hidden'}).`
                : 'From Segment › Connections › Sources › your source › Settings › API Keys.'}
            </p>
          )}
        </div>
        <div className="field">
          <label className="field__label" htmlFor="outbound-host">
            API host
          </label>
          <input
            id="outbound-host"
            className="input input--mono"
            type="url"
            name="host"
            autoComplete="off"
            spellCheck={false}
            placeholder={DEFAULT_HOST}
            value={host}
            onChange={(e) => setHost(e.target.value)}
            aria-describedby="outbound-host-hint"
            data-testid="outbound-host"
          />
          <p className="field__hint" id="outbound-host-hint">
            Keep <code>{DEFAULT_HOST}</code> unless your Segment workspace is in the EU (
            <code>https://events.eu1.segmentapis.com</code>).
          </p>
        </div>
      </div>
      <label className="checkbox outbound-form__toggle">
        <input
          type="checkbox"
          name="enabled"
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
          data-testid="outbound-enabled"
        />
        Send Cairn’s events
      </label>
      {error ? (
        <div className="alert alert--error" role="alert" data-testid="outbound-form-error">
          <Icon name="alert" size={18} />
          <p>{error}</p>
        </div>
      ) : null}
      <div className="outbound-form__actions">
        <button
          type="submit"
          className="btn btn--primary"
          disabled={!hydrated || busy}
          data-testid="outbound-save"
        >
          {busy ? 'Saving…' : current.configured ? 'Save changes' : 'Save and connect'}
        </button>
        {onCancel ? (
          <button type="button" className="btn btn--ghost" disabled={busy} onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
