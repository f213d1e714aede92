'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '@/api/client';
import { describeApiError, settle } from '@/api/errors';
import type { CrmConnectionStatus, SyncRun } from '@/api/types';
import { formatCount, plural } from '@/lib/format';
import { useHydrated } from '@/lib/useHydrated';
import { Icon } from '@/components/Icon';
import { RelativeTime } from '@/components/RelativeTime';

const POLL_MS = 2_000;
/** Polls without a running run (waiting for the first sync to appear) stop after this many. */
const WAIT_POLLS = 15;
const SHOWN = 5;

const STATE: Record<SyncRun['state'], { label: string; badge: string }> = {
  running: { label: 'Running', badge: 'badge--status-running' },
  completed: { label: 'Completed', badge: 'badge--status-completed' },
  failed: { label: 'Failed', badge: 'badge--status-failed' },
};

function kindLabel(kind: SyncRun['kind']): string {
  return kind === 'full' ? 'Full sync' : 'Incremental sync';
}

function percent(run: SyncRun): number | null {
  if (run.state === 'completed') return 100;
  if (!run.estimatedTotal || run.estimatedTotal <= 0) return null;
  return Math.min(100, Math.round((run.done / run.estimatedTotal) * 100));
}

/** Sync runs of one CRM connection: the latest runs, live progress while one runs, and "Sync now". */
export function CrmSync({
  workspaceId,
  connectionId,
  providerName,
  canManage,
  status,
  onSettled,
}: {
  workspaceId: string;
  connectionId: string;
  providerName: string;
  canManage: boolean;
  status: CrmConnectionStatus;
  /** A run started or ended: the connection's status has changed. */
  onSettled: () => void;
}) {
  const [runs, setRuns] = useState<SyncRun[] | null>(null);
  const waited = useRef(0);
  const wasRunning = useRef(false);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hydrated = useHydrated();
  const path = { path: { workspaceId, connectionId } };
  const running = runs?.some((r) => r.state === 'running') ?? false;

  const load = useCallback(async () => {
    const outcome = await settle(
      api.GET('/api/workspaces/{workspaceId}/connections/{connectionId}/runs', {
        params: { path: { workspaceId, connectionId } },
      }),
    );
    if (!outcome.ok) {
      setError(describeApiError(outcome.error));
      // Keep polling: a blip should not lose track of a running sync.
      setRuns((r) => (r ? [...r] : r));
      return;
    }
    setError(null);
    setRuns(outcome.result.data?.runs ?? []);
  }, [workspaceId, connectionId]);

  useEffect(() => {
    void load();
  }, [load]);

  // When a run starts or ends, the connection's status (Active → Syncing → Active or Error) changes too.
  useEffect(() => {
    if (runs === null) return;
    if (wasRunning.current !== running) onSettled();
    wasRunning.current = running;
  }, [runs, running, onSettled]);

  // Poll every 2 s while a run is going; for a little while also when a sync is expected but not listed yet
  // (just connected, or the connection says it is syncing).
  useEffect(() => {
    if (runs === null) return;
    if (running) waited.current = 0;
    const waiting = !running && (status === 'syncing' || runs.length === 0) && waited.current < WAIT_POLLS;
    if (!running && !waiting) return;
    const timer = window.setTimeout(() => {
      if (!running) waited.current += 1;
      void load();
    }, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [runs, running, status, load]);

  async function syncNow() {
    setStarting(true);
    setError(null);
    const outcome = await settle(
      api.POST('/api/workspaces/{workspaceId}/connections/{connectionId}/sync', { params: path }),
    );
    setStarting(false);
    if (!outcome.ok) {
      setError(describeApiError(outcome.error));
      return;
    }
    await load();
    onSettled();
  }

  const current = runs?.find((r) => r.state === 'running') ?? null;
  const pct = current ? percent(current) : null;
  const blocked = status === 'needs_reauth';

  return (
    <div className="crm-sync" data-testid="crm-sync">
      <div className="crm-sync__head">
        <h4>Sync</h4>
        {canManage ? (
          <button
            type="button"
            className="btn btn--secondary btn--sm"
            aria-label={`Sync now from ${providerName}`}
            disabled={!hydrated || starting || running || blocked}
            onClick={() => void syncNow()}
            data-testid="crm-sync-now"
          >
            <Icon name="refresh" size={14} />
            {starting ? 'Starting…' : running ? 'Syncing…' : 'Sync now'}
          </button>
        ) : null}
      </div>

      {current ? (
        <div className="progress-block crm-sync__progress">
          <div
            className="progress progress--running"
            role="progressbar"
            aria-label={`${providerName} sync progress`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct ?? undefined}
            aria-valuetext={
              current.estimatedTotal
                ? `${formatCount(current.done)} of ${formatCount(current.estimatedTotal)} records`
                : `${formatCount(current.done)} records so far`
            }
          >
            <span
              className={`progress__bar${pct === null ? ' progress__bar--indeterminate' : ''}`}
              style={{ width: `${pct ?? 30}%` }}
            />
          </div>
        </div>
      ) : null}

      <p className="small" role="status" aria-live="polite" data-testid="crm-sync-status">
        {current
          ? current.estimatedTotal
            ? `${kindLabel(current.kind)} running: ${formatCount(current.done)} of ${plural(current.estimatedTotal, 'record')} (${pct ?? 0}%).`
            : `${kindLabel(current.kind)} running: ${plural(current.done, 'record')} so far.`
          : runs === null
            ? 'Loading sync runs…'
            : runs.length === 0
              ? `No syncs yet. The first sync starts shortly after connecting${canManage ? ', or start one now' : ''}.`
              : null}
        {blocked && !current ? ` Reconnect ${providerName} before syncing again.` : null}
      </p>

      {error ? (
        <div className="alert alert--error" role="alert">
          <Icon name="alert" size={18} />
          <p>{error}</p>
        </div>
      ) : null}

      {runs && runs.length > 0 ? (
        <ul className="crm-sync__runs" aria-label={`Latest ${providerName} syncs`}>
          {runs.slice(0, SHOWN).map((r) => (
            <li key={r.id} data-testid="crm-sync-run" data-state={r.state}>
              <span className={`badge ${STATE[r.state].badge}`}>{STATE[r.state].label}</span>
              <span className="crm-sync__kind">{kindLabel(r.kind)}</span>
              <span className="muted">
                {r.state === 'running' ? plural(r.done, 'record') + ' so far' : plural(r.done, 'record')}
              </span>
              <span className="muted">
                <RelativeTime iso={r.finishedAt ?? r.startedAt} />
              </span>
              {r.error ? <span className="crm-sync__error">{r.error}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
