'use client';

import { useEffect, useRef, useState } from 'react';
import { api } from '@/api/client';
import { describeApiError, settle } from '@/api/errors';
import type {
  CrmConnection,
  CrmConnections as CrmConnectionsData,
  CrmConnectionStatus,
  CrmProvider,
} from '@/api/types';
import { useHydrated } from '@/lib/useHydrated';
import { useOrigin } from '@/lib/useOrigin';
import { Icon } from '@/components/Icon';
import { RelativeTime } from '@/components/RelativeTime';
import { CrmMark } from './CrmMark';
import { CrmSettings } from './CrmSettings';
import { CrmSync } from './CrmSync';
import { FieldMapping } from './FieldMapping';
import { CRM_INFO } from './crm';
import { ConfirmGroup } from '@/components/ConfirmGroup';

const ORDER: CrmProvider[] = ['hubspot', 'salesforce'];

const STATUS: Record<CrmConnectionStatus, { label: string; badge: string }> = {
  active: { label: 'Active', badge: 'badge--status-completed' },
  syncing: { label: 'Syncing', badge: 'badge--status-running' },
  needs_reauth: { label: 'Needs re-authorisation', badge: 'badge--status-warn' },
  error: { label: 'Error', badge: 'badge--status-failed' },
};

interface Props {
  workspaceId: string;
  canManage: boolean;
  /** `null` when the list could not be loaded; `loadError` says why. */
  initial: CrmConnectionsData | null;
  loadError?: string;
}

export function CrmConnections({ workspaceId, canManage, initial, loadError }: Props) {
  const [data, setData] = useState<CrmConnectionsData | null>(initial);

  async function reload() {
    const outcome = await settle(
      api.GET('/api/workspaces/{workspaceId}/connections', { params: { path: { workspaceId } } }),
    );
    if (outcome.ok && outcome.result.data) setData(outcome.result.data);
  }

  function replace(next: CrmConnection) {
    setData((d) => (d ? { ...d, connections: d.connections.map((c) => (c.id === next.id ? next : c)) } : d));
  }

  function drop(id: string) {
    setData((d) => (d ? { ...d, connections: d.connections.filter((c) => c.id !== id) } : d));
  }

  return (
    <section aria-labelledby="crm-title" data-testid="crm-connections">
      <div className="section-head">
        <h2 id="crm-title" className="section-title">
          CRM
        </h2>
        <p className="muted small">
          Pull contacts, companies, deals and emails, and write journey stage and drop-off risk back where
          sales reps work.
        </p>
      </div>
      {data ? (
        <ul className="provider-grid provider-grid--crm" aria-label="CRM connections">
          {ORDER.map((provider) => (
            <CrmCard
              key={provider}
              workspaceId={workspaceId}
              provider={provider}
              canManage={canManage}
              configured={data.providers.find((p) => p.provider === provider)?.configured ?? false}
              connection={data.connections.find((c) => c.provider === provider) ?? null}
              onChanged={replace}
              onRemoved={drop}
              onStale={reload}
            />
          ))}
        </ul>
      ) : (
        <div className="alert alert--error" role="alert" data-testid="crm-load-error">
          <Icon name="alert" size={18} />
          <p>CRM connections could not be loaded. {loadError}</p>
        </div>
      )}
    </section>
  );
}

type Busy = 'connect' | 'check' | 'disconnect' | null;

function CrmCard({
  workspaceId,
  provider,
  canManage,
  configured,
  connection,
  onChanged,
  onRemoved,
  onStale,
}: {
  workspaceId: string;
  provider: CrmProvider;
  canManage: boolean;
  configured: boolean;
  connection: CrmConnection | null;
  onChanged: (c: CrmConnection) => void;
  onRemoved: (id: string) => void;
  onStale: () => Promise<void>;
}) {
  const info = CRM_INFO[provider];
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<string | null>(null);
  const [checked, setChecked] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [focusConnect, setFocusConnect] = useState(false);
  const connectButton = useRef<HTMLButtonElement>(null);
  const hydrated = useHydrated();
  const origin = useOrigin();
  const state = connection ? 'connected' : configured ? 'not-connected' : 'not-configured';
  const titleId = `crm-${provider}-title`;
  const prefix = provider.toUpperCase();

  // After a disconnect the confirm buttons are gone: keep keyboard focus in the card.
  useEffect(() => {
    if (focusConnect && !connection) {
      connectButton.current?.focus();
      setFocusConnect(false);
    }
  }, [focusConnect, connection]);

  async function connect() {
    setBusy('connect');
    setError(null);
    const outcome = await settle(
      api.POST('/api/workspaces/{workspaceId}/connections/{provider}/authorize', {
        params: { path: { workspaceId, provider } },
      }),
    );
    if (!outcome.ok) {
      setBusy(null);
      setError(describeApiError(outcome.error));
      if (outcome.error.code === 'connections.not_configured') await onStale();
      return;
    }
    const url = outcome.result.data?.authorizeUrl;
    if (!url) {
      setBusy(null);
      setError(`${info.name} did not return a consent page. Try again.`);
      return;
    }
    // Stay "busy" while the browser leaves for the provider's consent page.
    window.location.assign(url);
  }

  async function check(c: CrmConnection) {
    setBusy('check');
    setError(null);
    setChecked(null);
    const outcome = await settle(
      api.POST('/api/workspaces/{workspaceId}/connections/{connectionId}/check', {
        params: { path: { workspaceId, connectionId: c.id } },
      }),
    );
    setBusy(null);
    if (!outcome.ok) {
      setError(describeApiError(outcome.error));
      if (outcome.status === 404) await onStale();
      return;
    }
    const next = outcome.result.data;
    if (next) {
      onChanged(next);
      setChecked(
        next.status === 'active' || next.status === 'syncing'
          ? `Checked: Cairn can reach ${info.name}.`
          : next.status === 'needs_reauth'
            ? `Checked: ${info.name} still refuses Cairn’s access. Reconnect to approve it again.`
            : `Checked: ${info.name} still can’t be reached. The reason is above.`,
      );
    }
  }

  async function disconnect(c: CrmConnection) {
    setBusy('disconnect');
    setError(null);
    const outcome = await settle(
      api.DELETE('/api/workspaces/{workspaceId}/connections/{connectionId}', {
        params: { path: { workspaceId, connectionId: c.id } },
      }),
    );
    setBusy(null);
    setConfirming(false);
    if (!outcome.ok && outcome.status !== 404) {
      setError(describeApiError(outcome.error));
      return;
    }
    setChecked(null);
    setFocusConnect(true);
    onRemoved(c.id);
  }

  return (
    <li
      className={`provider-card crm-card crm-card--${state}`}
      aria-labelledby={titleId}
      data-testid={`crm-card-${provider}`}
      data-state={state}
      data-status={connection?.status}
    >
      <div className="provider-card__head">
        <CrmMark provider={provider} />
        <h3 id={titleId}>{info.name}</h3>
        {connection ? (
          <span
            className={`badge ${STATUS[connection.status].badge} crm-card__badge`}
            data-testid="crm-status"
          >
            {STATUS[connection.status].label}
          </span>
        ) : (
          <span className="badge badge--soon crm-card__badge">
            {configured ? 'Not connected' : 'Not set up'}
          </span>
        )}
      </div>

      <dl className="crm-card__scope">
        <div>
          <dt>Reads</dt>
          <dd>{info.reads}</dd>
        </div>
        <div>
          <dt>Writes</dt>
          <dd>{info.writes}</dd>
        </div>
      </dl>

      {connection ? (
        <Connected
          workspaceId={workspaceId}
          connection={connection}
          providerName={info.name}
          accountLabel={info.accountLabel}
          canManage={canManage}
          onSettled={() => void onStale()}
          onChanged={onChanged}
        />
      ) : configured ? (
        <p className="crm-card__state" data-testid="crm-state-text">
          {canManage
            ? `Not connected. Connecting sends you to ${info.name} to approve Cairn’s access, then back here.`
            : `Not connected. A workspace admin can connect ${info.name}.`}
        </p>
      ) : (
        <div className="crm-card__state" data-testid="crm-state-text">
          <p>
            <strong>Not set up on this server.</strong> {info.name} connections need an OAuth app: whoever
            runs Cairn sets <code>{prefix}_CLIENT_ID</code> and <code>{prefix}_CLIENT_SECRET</code> in its
            environment and restarts it.
          </p>
          {canManage ? (
            <p className="small muted">
              Register this redirect URL in the {info.name} app:{' '}
              <code className="crm-card__url" data-testid="crm-redirect-url">
                {origin ? `${origin}/api/oauth/${provider}/callback` : `/api/oauth/${provider}/callback`}
              </code>
            </p>
          ) : null}
        </div>
      )}

      {error ? (
        <div className="alert alert--error" role="alert" data-testid="crm-error">
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
      ) : null}

      <p className="small crm-card__checked" role="status" aria-live="polite" data-testid="crm-checked">
        {checked ? (
          connection && (connection.status === 'active' || connection.status === 'syncing') ? (
            <span className="status status--ok">
              <Icon name="check" size={14} />
              {checked}
            </span>
          ) : (
            <span className="status--error">{checked}</span>
          )
        ) : null}
      </p>

      {canManage ? (
        connection ? (
          confirming ? (
            <ConfirmGroup
              stacked
              className="crm-card__confirm"
              label={`Disconnect ${info.name}?`}
              text={`Cairn revokes its grant at ${info.name} and forgets the tokens; syncing and write-back stop.`}
              confirmLabel={busy === 'disconnect' ? 'Disconnecting…' : 'Confirm disconnect'}
              busy={busy === 'disconnect'}
              onConfirm={() => void disconnect(connection)}
              onCancel={() => setConfirming(false)}
            />
          ) : (
            <div className="crm-card__actions">
              {connection.status === 'needs_reauth' || connection.status === 'error' ? (
                <button
                  type="button"
                  className="btn btn--primary btn--sm"
                  aria-label={`Reconnect ${info.name}`}
                  disabled={!hydrated || busy !== null || !configured}
                  onClick={() => void connect()}
                >
                  {busy === 'connect' ? `Opening ${info.name}…` : 'Reconnect'}
                </button>
              ) : null}
              <button
                type="button"
                className="btn btn--secondary btn--sm"
                aria-label={`Check connection to ${info.name}`}
                disabled={!hydrated || busy !== null}
                onClick={() => void check(connection)}
              >
                <Icon name="refresh" size={14} />
                {busy === 'check' ? 'Checking…' : 'Check connection'}
              </button>
              <button
                type="button"
                className="btn btn--ghost-danger btn--sm"
                aria-label={`Disconnect ${info.name}`}
                disabled={!hydrated || busy !== null}
                onClick={() => setConfirming(true)}
              >
                Disconnect
              </button>
            </div>
          )
        ) : (
          <div className="crm-card__actions">
            <button
              ref={connectButton}
              type="button"
              className="btn btn--primary"
              aria-label={`Connect ${info.name}`}
              aria-describedby={configured ? undefined : `crm-${provider}-unavailable`}
              disabled={!hydrated || busy !== null || !configured}
              onClick={() => void connect()}
              data-testid={`connect-${provider}`}
            >
              {busy === 'connect' ? `Opening ${info.name}…` : 'Connect'}
            </button>
            {configured ? null : (
              <span className="small muted" id={`crm-${provider}-unavailable`}>
                Available once the server is set up.
              </span>
            )}
          </div>
        )
      ) : null}
    </li>
  );
}

function statusText(c: CrmConnection, name: string): string {
  switch (c.status) {
    case 'active':
      return `Working. Cairn can read from ${name} and write results back.`;
    case 'syncing':
      return `Cairn is reading data from ${name} right now.`;
    case 'needs_reauth':
      return `${name} no longer accepts Cairn’s access, for example because the grant was revoked or the user who connected lost access. Reconnect to approve it again.`;
    case 'error':
      return `The last attempt to reach ${name} failed. Check the connection again, or reconnect if it keeps failing.`;
  }
}

function Connected({
  workspaceId,
  connection: c,
  providerName,
  accountLabel,
  canManage,
  onSettled,
  onChanged,
}: {
  workspaceId: string;
  connection: CrmConnection;
  providerName: string;
  accountLabel: string;
  canManage: boolean;
  onSettled: () => void;
  onChanged: (c: CrmConnection) => void;
}) {
  const reason = c.statusReason?.trim();
  const tone =
    c.status === 'active' || c.status === 'syncing' ? 'ok' : c.status === 'error' ? 'error' : 'warn';
  return (
    <div className="crm-card__connected" data-testid="crm-connected">
      <div className={`crm-card__status crm-card__status--${tone}`} data-testid="crm-status-text">
        <p>{statusText(c, providerName)}</p>
        {reason && c.status !== 'active' ? (
          <p className="small crm-card__reason">
            {`${c.status === 'error' ? 'What went wrong' : 'Details'}: ${reason}`}
          </p>
        ) : null}
      </div>

      <dl className="crm-card__facts">
        <div>
          <dt>{accountLabel}</dt>
          <dd>
            <code data-testid="crm-account">{c.externalAccount}</code>
          </dd>
        </div>
        {c.instanceUrl ? (
          <div>
            <dt>Instance</dt>
            <dd>
              <code className="crm-card__url">{c.instanceUrl}</code>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Connected</dt>
          <dd>
            <RelativeTime iso={c.connectedAt} />
          </dd>
        </div>
        {c.updatedAt !== c.connectedAt ? (
          <div>
            <dt>Updated</dt>
            <dd>
              <RelativeTime iso={c.updatedAt} />
            </dd>
          </div>
        ) : null}
      </dl>

      <details className="crm-card__scopes" data-testid="crm-scopes">
        <summary>
          Granted scopes <span className="count">{c.scopes.length}</span>
        </summary>
        {c.scopes.length > 0 ? (
          <ul>
            {c.scopes.map((s) => (
              <li key={s}>
                <code>{s}</code>
              </li>
            ))}
          </ul>
        ) : (
          <p className="small muted">{providerName} did not report any scopes.</p>
        )}
      </details>

      <CrmSync
        workspaceId={workspaceId}
        connectionId={c.id}
        providerName={providerName}
        canManage={canManage}
        status={c.status}
        onSettled={onSettled}
      />

      <CrmSettings
        workspaceId={workspaceId}
        connection={c}
        providerName={providerName}
        canManage={canManage}
        onChanged={onChanged}
      />

      {canManage ? (
        <FieldMapping workspaceId={workspaceId} connectionId={c.id} providerName={providerName} />
      ) : null}
    </div>
  );
}
