'use client';

import { useEffect, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { api } from '@/api/client';
import { describeApiError, toApiError } from '@/api/errors';
import type { ModelCard, ModelVersion } from './intelligence-types';

const POLL_MS = 3000;
const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`;
const num = (x: number) => x.toFixed(3);
const day = (iso: string) => iso.slice(0, 10);

/** The model card: what the active model is worth on people it has not seen, and its history. */
export function ModelCardView({ workspaceId, initial }: { workspaceId: string; initial: ModelCard }) {
  const [card, setCard] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
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
  return (
    <section className="panel" aria-labelledby="model-card-title" data-testid="model-card">
      <header className="panel__header">
        <h2 id="model-card-title">Drop-off model</h2>
        <button
          type="button"
          className="btn btn--primary"
          onClick={() => void retrain()}
          disabled={starting || running}
          data-testid="retrain-now"
        >
          {running ? 'Retraining…' : 'Retrain now'}
        </button>
      </header>
      <p className="muted">
        Retrains on schedule <code>{card.retrainCron}</code> (UTC). A new version replaces the active one only
        if it is not worse on the same, later evaluation window.
      </p>
      {card.lastRetrain && (
        <p role="status" data-testid="last-retrain">
          {card.lastRetrain.state === 'running' ? 'Running: ' : 'Last run: '}
          {card.lastRetrain.message} <span className="muted">({day(card.lastRetrain.at)})</span>
        </p>
      )}
      {error && <p role="alert">{error}</p>}
      {!a ? (
        <p data-testid="no-model">
          No model is active yet. Retraining needs two complete windows of behaviour (twice the horizon) with
          enough people who converted and who did not; until then stages still update from their rules.
        </p>
      ) : (
        <ActiveModel v={a} drift={card.drift} />
      )}
      {card.versions.length > 0 && <Versions versions={card.versions} />}
    </section>
  );
}

function ActiveModel({ v, drift }: { v: ModelVersion; drift: ModelCard['drift'] }) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  return (
    <div data-testid="active-model">
      <h3>
        Version {v.version} · goal {v.goal} within {v.horizonDays} days
      </h3>
      <dl className="facts">
        <div>
          <dt>Drop-off risk AUC</dt>
          <dd data-testid="risk-auc">{num(v.risk.auc)}</dd>
        </div>
        <div>
          <dt>Conversion AUC</dt>
          <dd>{num(v.conversion.auc)}</dd>
        </div>
        <div>
          <dt>Brier (risk)</dt>
          <dd>{num(v.risk.brier)}</dd>
        </div>
        <div>
          <dt>Evaluated on</dt>
          <dd>
            {v.evalWindow.rows} people as of {day(v.evalWindow.asOf)} (trained on {v.trainWindow.rows} as of{' '}
            {day(v.trainWindow.asOf)})
          </dd>
        </div>
        <div>
          <dt>Drift</dt>
          <dd>{drift ? `PSI ${drift.psi.toFixed(2)} — ${drift.verdict}` : 'Not enough scores yet'}</dd>
        </div>
      </dl>
      <p className="muted">{v.decision}</p>
      <div className="toggle" role="group" aria-label="View">
        <button type="button" aria-pressed={view === 'chart'} onClick={() => setView('chart')}>
          Charts
        </button>
        <button type="button" aria-pressed={view === 'table'} onClick={() => setView('table')}>
          Tables
        </button>
      </div>
      {view === 'chart' ? (
        <div className="chart-grid">
          <figure>
            <figcaption>Calibration: predicted vs observed drop-off</figcaption>
            <ResponsiveContainer width="100%" height={220}>
              <LineChart
                data={v.risk.calibration.map((b) => ({
                  predicted: b.meanPredicted,
                  observed: b.observedRate,
                }))}
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="predicted" type="number" domain={[0, 1]} tickFormatter={pct} />
                <YAxis domain={[0, 1]} tickFormatter={pct} />
                <Tooltip formatter={(x) => pct(Number(x))} />
                <Line dataKey="observed" stroke="#2563eb" dot />
              </LineChart>
            </ResponsiveContainer>
          </figure>
          <figure>
            <figcaption>What the risk model listens to most</figcaption>
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={v.risk.importance} layout="vertical" margin={{ left: 80 }}>
                <XAxis type="number" tickFormatter={pct} />
                <YAxis type="category" dataKey="label" width={140} />
                <Tooltip formatter={(x) => pct(Number(x))} />
                <Bar dataKey="importance" fill="#0f766e" />
              </BarChart>
            </ResponsiveContainer>
          </figure>
        </div>
      ) : (
        <table data-testid="threshold-table">
          <caption>Precision and recall of drop-off risk at each threshold (evaluation window)</caption>
          <thead>
            <tr>
              <th>Risk ≥</th>
              <th>Precision</th>
              <th>Recall</th>
              <th>Flagged</th>
            </tr>
          </thead>
          <tbody>
            {v.risk.thresholds.map((t) => (
              <tr key={t.threshold}>
                <td>{pct(t.threshold)}</td>
                <td>{pct(t.precision)}</td>
                <td>{pct(t.recall)}</td>
                <td>{pct(t.flaggedRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Versions({ versions }: { versions: ModelVersion[] }) {
  return (
    <table data-testid="model-versions">
      <caption>Versions</caption>
      <thead>
        <tr>
          <th>Version</th>
          <th>Trained</th>
          <th>Status</th>
          <th>Risk AUC</th>
          <th>Decision</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <tr key={v.id}>
            <td>v{v.version}</td>
            <td>{day(v.trainedAt)}</td>
            <td>{v.status}</td>
            <td>{v.risk ? num(v.risk.auc) : '—'}</td>
            <td>{v.decision}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
