import type { paths } from '@/api/schema';
import { formatDate } from '@/lib/format';
import { RelativeTime } from '@/components/RelativeTime';
import { RiskMeter, RiskTrend } from '../Risk';
import { RiskSparkline } from './RiskSparkline';
import styles from '../prospects.module.css';

type Journey =
  paths['/api/workspaces/{workspaceId}/profiles/{profileId}/journey']['get']['responses'][200]['content']['application/json'];

const PROVIDER: Record<string, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };
const VIA: Record<string, string> = { person: 'Contact', account: 'Company', deal: 'Deal' };

/** Stage with its history, the risk score with its reasons and trend: read-only for everyone. */
export function ProspectJourney({ journey: j }: { journey: Journey }) {
  return (
    <section className="panel" aria-labelledby="journey-title" data-testid="profile-journey">
      <h2 id="journey-title" className="panel__title">
        Journey
      </h2>
      {!j.stage && !j.score ? (
        <p className="muted small panel__subtitle" data-testid="journey-unscored">
          Not placed on a stage or scored yet. Cairn scores people once their behaviour has been analysed.
        </p>
      ) : null}
      {j.stage ? (
        <dl className="facts">
          <div>
            <dt>Stage</dt>
            <dd data-testid="journey-stage">
              <strong>{j.stage.label}</strong>
              {j.stage.enteredAt ? (
                <span className="muted small">
                  {' '}
                  · since <RelativeTime iso={j.stage.enteredAt} />
                </span>
              ) : null}
            </dd>
          </div>
          {j.stage.reason ? (
            <div>
              <dt>Why</dt>
              <dd>{j.stage.reason}</dd>
            </div>
          ) : null}
        </dl>
      ) : null}
      {j.score ? (
        <div data-testid="journey-score">
          <div className={styles.scoreLine}>
            <span className="muted small">Drop-off risk</span>
            <RiskMeter risk={j.score.risk} />
            <RiskTrend trend={j.score.trend} />
          </div>
          {j.score.conversion !== null ? (
            <p className="muted small">Chance of converting: {Math.round(j.score.conversion * 100)}%</p>
          ) : null}
          {j.score.reasons.length ? (
            <ol className={styles.reasons} aria-label="Top reasons" data-testid="journey-reasons">
              {j.score.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ol>
          ) : null}
          <RiskSparkline points={j.scoreHistory} />
          <p className="muted small">
            Scored{' '}
            <time dateTime={j.score.scoredAt} suppressHydrationWarning>
              {formatDate(j.score.scoredAt)}
            </time>
          </p>
        </div>
      ) : null}
      {j.stageHistory.length ? (
        <>
          <h3 className="panel__subtitle">Stage history</h3>
          <ol className={styles.history} data-testid="journey-history">
            {j.stageHistory.map((h) => (
              <li key={`${h.at}:${h.to}`}>
                <div>
                  {h.fromLabel ? `${h.fromLabel} → ` : ''}
                  <strong>{h.toLabel}</strong>
                </div>
                <div className="muted">
                  {h.reason} ·{' '}
                  <time dateTime={h.at} suppressHydrationWarning>
                    {formatDate(h.at)}
                  </time>
                </div>
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}

export function ProspectCrm({ journey: j }: { journey: Journey }) {
  return (
    <section className="panel" aria-labelledby="crm-title" data-testid="profile-crm">
      <h2 id="crm-title" className="panel__title">
        In the CRM <span className="count">{j.crm.length}</span>
      </h2>
      {j.crm.length === 0 ? (
        <p className="muted small panel__subtitle">No CRM record is linked to this person.</p>
      ) : (
        <ul className={styles.crm}>
          {j.crm.map((c) => (
            <li key={`${c.provider}:${c.objectType}:${c.externalId}`} data-testid="crm-link">
              <div>
                <span className="muted">
                  {PROVIDER[c.provider] ?? c.provider} {VIA[c.via] ?? c.objectType}:
                </span>{' '}
                {c.url ? (
                  <a href={c.url} target="_blank" rel="noreferrer noopener">
                    {c.name ?? c.externalId}
                  </a>
                ) : (
                  (c.name ?? c.externalId)
                )}
              </div>
              {c.stage || c.owner ? (
                <div className="muted small">
                  {c.stage ? `Stage ${c.stage}` : ''}
                  {c.stage && c.owner ? ' · ' : ''}
                  {c.owner ? `Owner ${c.owner}` : ''}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
