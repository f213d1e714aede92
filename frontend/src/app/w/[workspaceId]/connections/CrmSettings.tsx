'use client';

import { useId, useState } from 'react';
import { api } from '@/api/client';
import { describeApiError, settle } from '@/api/errors';
import type { CrmConnection } from '@/api/types';
import { formatCount } from '@/lib/format';
import { useHydrated } from '@/lib/useHydrated';
import { Icon } from '@/components/Icon';
import { RelativeTime } from '@/components/RelativeTime';
import { intervalLabel, SYNC_INTERVALS } from './crm';

/** How often the connection is pulled (admins change it), and Salesforce's API allowance use. */
export function CrmSettings({
  workspaceId,
  connection: c,
  providerName,
  canManage,
  onChanged,
}: {
  workspaceId: string;
  connection: CrmConnection;
  providerName: string;
  canManage: boolean;
  onChanged: (c: CrmConnection) => void;
}) {
  const [choice, setChoice] = useState(c.syncIntervalMinutes);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const hydrated = useHydrated();
  const selectId = useId();
  const options = SYNC_INTERVALS.includes(c.syncIntervalMinutes as (typeof SYNC_INTERVALS)[number])
    ? [...SYNC_INTERVALS]
    : [...SYNC_INTERVALS, c.syncIntervalMinutes].sort((a, b) => a - b);

  async function save() {
    setBusy(true);
    setError(null);
    setSaved(null);
    const outcome = await settle(
      api.PATCH('/api/workspaces/{workspaceId}/connections/{connectionId}', {
        params: { path: { workspaceId, connectionId: c.id } },
        body: { syncIntervalMinutes: choice },
      }),
    );
    setBusy(false);
    if (!outcome.ok) {
      setError(describeApiError(outcome.error));
      return;
    }
    if (outcome.result.data) {
      onChanged(outcome.result.data);
      setSaved(`Saved: ${providerName} is pulled every ${intervalLabel(choice)}.`);
    }
  }

  const usage = c.apiUsage;
  const share = usage && usage.limit > 0 ? Math.min(100, Math.round((usage.used / usage.limit) * 100)) : null;

  return (
    <div className="crm-sync crm-settings" data-testid="crm-settings">
      <div className="crm-sync__head">
        <h4>Schedule</h4>
      </div>
      {canManage ? (
        <div className="field">
          <label className="field__label" htmlFor={selectId}>
            Pull from {providerName} every
          </label>
          <div className="crm-card__actions">
            <select
              id={selectId}
              className="select select--compact"
              value={choice}
              disabled={!hydrated || busy}
              onChange={(e) => {
                setChoice(Number(e.target.value));
                setSaved(null);
              }}
              data-testid="crm-interval"
            >
              {options.map((m) => (
                <option key={m} value={m}>
                  {intervalLabel(m)}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn btn--secondary btn--sm"
              disabled={!hydrated || busy || choice === c.syncIntervalMinutes}
              onClick={() => void save()}
              data-testid="crm-interval-save"
            >
              {busy ? 'Saving…' : 'Save'}
            </button>
          </div>
        </div>
      ) : (
        <p className="small" data-testid="crm-interval-text">
          Pulled from {providerName} every {intervalLabel(c.syncIntervalMinutes)}.
        </p>
      )}
      <p className="small" role="status" aria-live="polite" data-testid="crm-interval-status">
        {saved}
      </p>
      {error ? (
        <div className="alert alert--error" role="alert">
          <Icon name="alert" size={18} />
          <p>{error}</p>
        </div>
      ) : null}

      {c.provider === 'salesforce' ? (
        <div data-testid="crm-api-usage">
          <p className="small">
            {usage && share !== null ? (
              <>
                Org API requests in the last 24 hours: <strong>{formatCount(usage.used)}</strong> of{' '}
                {formatCount(usage.limit)} ({share}%), reported <RelativeTime iso={usage.at} />.
                {share >= 80
                  ? ' Cairn slows its pulls down from 80% and pauses them from 98%, leaving the rest to other integrations.'
                  : null}
              </>
            ) : (
              'Org API request usage appears after the first sync.'
            )}
          </p>
          {share !== null ? (
            <div
              className={`progress${share >= 98 ? ' progress--failed' : ''}`}
              role="progressbar"
              aria-label="Salesforce API requests used"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={share}
            >
              <span className="progress__bar" style={{ width: `${share}%` }} />
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
