'use client';

import { useEffect, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { api } from '@/api/client';
import { describeApiError, toApiError } from '@/api/errors';
import { AXIS, GRID, SERIES } from '@/components/charts/palette';
import { ViewToggle } from '@/components/charts/ViewToggle';
import { Icon } from '@/components/Icon';
import { RelativeTime } from '@/components/RelativeTime';
import { formatCount } from '@/lib/format';
import { useHydrated } from '@/lib/useHydrated';
import { describeCron } from './cron-words';
import { day } from './dates';
import { featureLabel } from './feature-labels';
import type { ModelCard, ModelVersion } from './intelligence-types';
import styles from './model.module.css';

const POLL_MS = 3000;
const TOP_FEATURES = 8;
const pct = (x: number | null | undefined) =>
  x === null || x === undefined || Number.isNaN(x) ? '—' : `${Math.round(x * 100)}%`;
const auc = (x: number) => x.toFixed(2);
/** An AUC in a word: 0.5 is a coin flip, 1 is perfect. */
function aucWord(x: number): string {
  if (x >= 0.8) return 'Strong';
  if (x >= 0.7) return 'Good';
  if (x >= 0.6) return 'Fair';
  return 'Weak';
}

const STATUS_BADGE: Record<ModelVersion['status'], string> = {
  active: 'badge badge--status-completed',
  candidate: 'badge badge--status-running',
  rejected: 'badge badge--status-warn',
  retired: 'badge',
};

/** The model card: what the active model is worth on people it has not seen, and its history. */
export function ModelCardView({ workspaceId, initial }: { workspaceId: string; initial: ModelCard }) {
  const [card, setCard] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const hydrated = useHydrated();
  const running = card.lastRetrain?.state === 'running';
  const path = { params: { path: { workspaceId } } };

  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => {
      void api
        .GET('/api/workspaces/{workspaceId}/intelligence/model', { params: { path: { workspaceId } } })
        .then((res) => res.data && setCard(res.data));
    }, POLL_MS);
    return () => clearInterval(t);
  }, [running, workspaceId]);

  async function retrain() {
    setStarting(true);
    setError(null);
    const res = await api.POST('/api/workspaces/{workspaceId}/intelligence/model/retrain', path);
    setStarting(false);
    if (!res.response.ok) return setError(describeApiError(toApiError(res.error, res.response)));
    setCard((c) => ({
      ...c,
      lastRetrain: { state: 'running', message: 'Starting…', at: new Date().toISOString() },
    }));
  }

  const a = card.active;
  const schedule = describeCron(card.retrainCron);
  const last = card.lastRetrain;
  const lastTone = !last
    ? ''
    : last.state === 'running'
      ? styles.running
      : /^v\d+:/.test(last.message)
        ? 'status--ok'
        : 'status--warn';
  return (
    <section className="panel panel--flush" aria-labelledby="model-card-title" data-testid="model-card">
      <header className="panel__header panel__header--split">
        <div>
          <h2 id="model-card-title" className="panel__title">
            Drop-off model
            {a ? (
              <span className="badge badge--status-completed panel__badge">v{a.version} active</span>
            ) : null}
          </h2>
          <p className="muted small panel__subtitle">
            Predicts who is likely to drop off before converting, and why. Retrains{' '}
            {schedule ? (
              <span title={`cron ${card.retrainCron}`}>
                {schedule.charAt(0).toLowerCase() + schedule.slice(1)}
              </span>
            ) : (
              <>
                on <code>{card.retrainCron}</code> (UTC)
              </>
            )}
            ; a new version replaces the active one only if it predicts at least as well on the same, later
            window.
          </p>
        </div>
        <button
          type="button"
          className="btn btn--secondary btn--sm"
          onClick={() => void retrain()}
          disabled={!hydrated || starting || running}
          data-testid="retrain-now"
        >
          <Icon name="refresh" size={14} />
          {running ? 'Retraining…' : 'Retrain now'}
        </button>
      </header>

      {last || error ? (
        <div className={styles.statusBar}>
          {last ? (
            <p role="status" className={`status ${lastTone}`} data-testid="last-retrain">
              <Icon
                name={last.state === 'running' ? 'refresh' : lastTone === 'status--ok' ? 'check' : 'info'}
                size={15}
              />
              <span>
                {last.state === 'running' ? 'Running: ' : 'Last run: '}
                {last.message}
                <span className="muted">
                  {' · '}
                  <RelativeTime iso={last.at} />
                </span>
              </span>
            </p>
          ) : null}
          {error ? (
            <div className="alert alert--error" role="alert">
              <Icon name="alert" size={18} />
              <p>{error}</p>
            </div>
          ) : null}
        </div>
      ) : null}

      {!a ? (
        <div className={styles.noModel} data-testid="no-model">
          <div className="empty__icon empty__icon--muted">
            <Icon name="activity" size={22} />
          </div>
          <div>
            <h3 className={styles.noModelTitle}>No model yet</h3>
            <p className="muted small">
              Cairn trains its first model once it has seen two full prediction windows of behaviour (twice
              the horizon set below), with enough people who converted and enough who did not. Until then,
              people still move between stages by their rules; only the drop-off risk waits for the model.
              Retrain now checks whether there is enough yet.
            </p>
          </div>
        </div>
      ) : (
        <ActiveModel v={a} drift={card.drift} />
      )}
      {card.versions.length > 0 && <Versions versions={card.versions} />}
    </section>
  );
}

function ActiveModel({ v, drift }: { v: ModelVersion; drift: ModelCard['drift'] }) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const calibration = [...v.risk.calibration]
    .sort((x, y) => x.meanPredicted - y.meanPredicted)
    .map((b) => ({ predicted: b.meanPredicted, observed: b.observedRate, people: b.count }));
  const importance = [...v.risk.importance]
    .sort((x, y) => y.importance - x.importance)
    .slice(0, TOP_FEATURES)
    .map((i) => ({ label: featureLabel(i.feature), importance: i.importance }));
  // A round top (5% steps, or 10% past 30%) so the axis reads 0%, 5%, 10%… rather than 0%, 4%, 7%…
  const most = importance[0]?.importance ?? 0;
  const step = most > 0.3 ? 0.1 : 0.05;
  const top = Math.max(step, Math.ceil(most / step - 1e-9) * step);
  const importanceTicks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  return (
    <div data-testid="active-model">
      <div className={styles.section}>
        <div className={styles.sectionHead}>
          <div>
            <h3 className={styles.subhead}>
              Version {v.version} · predicts {v.goal} within {v.horizonDays} days
            </h3>
            <p className="muted small">
              Trained {day(v.trainedAt)} on {formatCount(v.trainWindow.rows)} people as of{' '}
              {day(v.trainWindow.asOf)}, then tested on {formatCount(v.evalWindow.rows)} people as of{' '}
              {day(v.evalWindow.asOf)} that it had not seen.
            </p>
          </div>
        </div>
        <dl className={`facts ${styles.metrics}`}>
          <div>
            <dt>Drop-off risk AUC</dt>
            <dd>
              <span className={styles.metric} data-testid="risk-auc">
                {auc(v.risk.auc)}
              </span>
              <span className="muted small">{aucWord(v.risk.auc)}: 0.5 is a coin flip, 1 is perfect</span>
            </dd>
          </div>
          <div>
            <dt>Conversion AUC</dt>
            <dd>
              <span className={styles.metric}>{auc(v.conversion.auc)}</span>
              <span className="muted small">{aucWord(v.conversion.auc)} at telling who converts</span>
            </dd>
          </div>
          <div>
            <dt>Brier score (risk)</dt>
            <dd>
              <span className={styles.metric}>{v.risk.brier.toFixed(3)}</span>
              <span className="muted small">How close risks are to what happened; lower is better</span>
            </dd>
          </div>
          <div>
            <dt>Drift (PSI)</dt>
            <dd>
              {drift ? (
                <>
                  <span className={styles.metric}>{drift.psi.toFixed(2)}</span>
                  <span
                    className="muted small"
                    title={`Population stability index on ${formatCount(drift.people)} people`}
                  >
                    {drift.verdict}
                  </span>
                </>
              ) : (
                <span className="muted small">Not enough scores yet</span>
              )}
            </dd>
          </div>
        </dl>
      </div>

      <div className={styles.section}>
        <div className={styles.sectionHead}>
          <div>
            <h3 className={styles.subhead}>How well it predicts</h3>
            <p className="muted small">On the evaluation window: people the model did not train on.</p>
          </div>
          <ViewToggle
            view={view}
            onChange={setView}
            label="Show as"
            names={{ chart: 'Charts', table: 'Tables' }}
          />
        </div>
        {view === 'chart' ? (
          <div className={styles.chartGrid}>
            <figure className={styles.chart}>
              <figcaption>
                <strong>Calibration</strong>
                <span className="muted small">
                  Predicted drop-off risk against how many really dropped off. On the dashed line, a 40% risk
                  means 4 in 10 dropped off.
                </span>
              </figcaption>
              <ResponsiveContainer width="100%" height={240}>
                <LineChart data={calibration} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
                  <CartesianGrid stroke={GRID} strokeDasharray="3 3" />
                  <XAxis
                    dataKey="predicted"
                    type="number"
                    domain={[0, 1]}
                    ticks={[0, 0.25, 0.5, 0.75, 1]}
                    tickFormatter={pct}
                    {...AXIS}
                  />
                  <YAxis
                    domain={[0, 1]}
                    ticks={[0, 0.25, 0.5, 0.75, 1]}
                    tickFormatter={pct}
                    width={44}
                    {...AXIS}
                  />
                  <ReferenceLine
                    segment={[
                      { x: 0, y: 0 },
                      { x: 1, y: 1 },
                    ]}
                    stroke={AXIS.stroke}
                    strokeDasharray="4 4"
                  />
                  <Tooltip
                    formatter={(x) => [pct(Number(x)), 'Observed']}
                    labelFormatter={(x) => `Predicted ${pct(Number(x))}`}
                  />
                  <Line
                    dataKey="observed"
                    stroke={SERIES[0]}
                    strokeWidth={2}
                    dot={{ r: 3 }}
                    isAnimationActive={false}
                  />
                </LineChart>
              </ResponsiveContainer>
            </figure>
            <figure className={styles.chart}>
              <figcaption>
                <strong>What the risk model listens to most</strong>
                <span className="muted small">Share of the model’s decisions each behaviour drives.</span>
              </figcaption>
              <ResponsiveContainer width="100%" height={Math.max(160, importance.length * 28 + 32)}>
                <BarChart
                  data={importance}
                  layout="vertical"
                  margin={{ top: 4, right: 16, bottom: 4, left: 0 }}
                >
                  <CartesianGrid stroke={GRID} strokeDasharray="3 3" horizontal={false} />
                  <XAxis
                    type="number"
                    domain={[0, top]}
                    ticks={importanceTicks}
                    tickFormatter={pct}
                    {...AXIS}
                  />
                  <YAxis
                    type="category"
                    dataKey="label"
                    width={230}
                    interval={0}
                    tickLine={false}
                    {...AXIS}
                  />
                  <Tooltip formatter={(x) => [pct(Number(x)), 'Importance']} />
                  <Bar
                    dataKey="importance"
                    fill={SERIES[0]}
                    radius={[0, 3, 3, 0]}
                    barSize={14}
                    isAnimationActive={false}
                  />
                </BarChart>
              </ResponsiveContainer>
            </figure>
          </div>
        ) : (
          <div className={styles.tableGrid}>
            <div className={styles.tableCard}>
              <table className="table table--compact" data-testid="threshold-table">
                <caption className={styles.caption}>Drop-off risk at each threshold</caption>
                <thead>
                  <tr>
                    <th scope="col">Risk ≥</th>
                    <th scope="col" className={styles.num}>
                      Precision
                    </th>
                    <th scope="col" className={styles.num}>
                      Recall
                    </th>
                    <th scope="col" className={styles.num}>
                      Flagged
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {v.risk.thresholds.map((t) => (
                    <tr key={t.threshold}>
                      <td>{pct(t.threshold)}</td>
                      <td className={styles.num}>{pct(t.precision)}</td>
                      <td className={styles.num}>{pct(t.recall)}</td>
                      <td className={styles.num}>{pct(t.flaggedRate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className={styles.tableCard}>
              <table className="table table--compact">
                <caption className={styles.caption}>What the risk model listens to most</caption>
                <thead>
                  <tr>
                    <th scope="col">Behaviour</th>
                    <th scope="col" className={styles.num}>
                      Importance
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {importance.map((i) => (
                    <tr key={i.label}>
                      <td>{i.label}</td>
                      <td className={styles.num}>{pct(i.importance)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
      </div>
    </div>
  );
}

function Versions({ versions }: { versions: ModelVersion[] }) {
  return (
    <div className={styles.versions}>
      <h3 className={`${styles.subhead} ${styles.versionsHead}`}>
        Versions <span className="count">{versions.length}</span>
      </h3>
      <div className="table-wrap">
        <table className="table table--compact" data-testid="model-versions">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Trained</th>
              <th scope="col">Status</th>
              <th scope="col" className={styles.num}>
                Risk AUC
              </th>
              <th scope="col" className={styles.num}>
                Conversion AUC
              </th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <td className="cell-strong">v{v.version}</td>
                <td>{day(v.trainedAt)}</td>
                <td>
                  <span className={STATUS_BADGE[v.status]}>
                    {v.status.charAt(0).toUpperCase() + v.status.slice(1)}
                  </span>
                </td>
                <td className={styles.num}>{v.risk ? auc(v.risk.auc) : '—'}</td>
                <td className={styles.num}>{v.conversion ? auc(v.conversion.auc) : '—'}</td>
                <td className={`cell-wrap muted ${styles.decision}`}>{v.decision}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
