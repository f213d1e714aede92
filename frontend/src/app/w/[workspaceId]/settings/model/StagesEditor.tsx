'use client';

import { useState } from 'react';
import { api } from '@/api/client';
import { describeApiError, toApiError } from '@/api/errors';
import type { IntelligenceSettings, StageCount, StageDiscovery } from './intelligence-types';

type Stage = IntelligenceSettings['stages'][number];
type Condition = Stage['conditions'][number];

/** Stages as rules the marketer reads and edits, with "Discover stages" to draft them from behaviour. */
export function StagesEditor({
  workspaceId,
  initial,
  counts,
}: {
  workspaceId: string;
  initial: IntelligenceSettings;
  counts: StageCount[];
}) {
  const [settings, setSettings] = useState(initial);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [discovery, setDiscovery] = useState<StageDiscovery | null>(null);
  const [busy, setBusy] = useState(false);
  const path = { params: { path: { workspaceId } } };
  const people = new Map(counts.map((c) => [c.key, c.people]));

  const setStage = (i: number, patch: Partial<Stage>) =>
    setSettings((s) => ({ ...s, stages: s.stages.map((st, j) => (j === i ? { ...st, ...patch } : st)) }));
  const setCondition = (i: number, k: number, patch: Partial<Condition>) =>
    setStage(i, {
      conditions: settings.stages[i]!.conditions.map((c, j) => (j === k ? { ...c, ...patch } : c)),
    });

  async function save() {
    setBusy(true);
    setError(null);
    setMessage(null);
    const { features: _features, ...body } = settings;
    const res = await api.PUT('/api/workspaces/{workspaceId}/intelligence/settings', { ...path, body });
    setBusy(false);
    if (!res.response.ok || !res.data) return setError(describeApiError(toApiError(res.error, res.response)));
    setSettings(res.data);
    setMessage('Saved. People move to their new stages as they are next scored.');
  }

  async function discover() {
    setBusy(true);
    setError(null);
    const res = await api.POST('/api/workspaces/{workspaceId}/intelligence/stages/discover', path);
    setBusy(false);
    if (!res.response.ok || !res.data) return setError(describeApiError(toApiError(res.error, res.response)));
    setDiscovery(res.data);
  }

  return (
    <section className="panel" aria-labelledby="stages-title" data-testid="stages-editor">
      <header className="panel__header">
        <h2 id="stages-title">Journey stages</h2>
        <div className="actions">
          <button
            type="button"
            className="btn btn--secondary"
            onClick={() => void discover()}
            disabled={busy}
          >
            Discover stages
          </button>
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => void save()}
            disabled={busy}
            data-testid="save-stages"
          >
            Save
          </button>
        </div>
      </header>
      <p className="muted">
        A person is at the highest stage whose conditions hold, counted over their behaviour so far. 3–5
        stages; the first has no conditions.
      </p>
      {error && <p role="alert">{error}</p>}
      {message && <p role="status">{message}</p>}
      <fieldset className="model-settings" data-testid="model-settings">
        <legend>What the model predicts and when it retrains</legend>
        <label>
          Conversion is{' '}
          <select
            aria-label="Goal kind"
            value={settings.goal.kind}
            onChange={(e) =>
              setSettings((s) => ({
                ...s,
                goal:
                  e.target.value === 'stage'
                    ? { kind: 'stage', stage: s.stages[s.stages.length - 1]!.key }
                    : { kind: 'event', event: 'Trial Started' },
              }))
            }
          >
            <option value="event">the event</option>
            <option value="stage">reaching the stage</option>
          </select>
        </label>{' '}
        {settings.goal.kind === 'event' ? (
          <input
            aria-label="Goal event"
            value={settings.goal.event ?? ''}
            onChange={(e) => setSettings((s) => ({ ...s, goal: { kind: 'event', event: e.target.value } }))}
          />
        ) : (
          <select
            aria-label="Goal stage"
            value={settings.goal.stage}
            onChange={(e) => setSettings((s) => ({ ...s, goal: { kind: 'stage', stage: e.target.value } }))}
          >
            {settings.stages.map((st) => (
              <option key={st.key} value={st.key}>
                {st.label}
              </option>
            ))}
          </select>
        )}{' '}
        <label>
          within{' '}
          <input
            aria-label="Horizon in days"
            type="number"
            min={1}
            max={365}
            value={settings.horizonDays}
            onChange={(e) => setSettings((s) => ({ ...s, horizonDays: Number(e.target.value) }))}
          />{' '}
          days
        </label>
        <label>
          Journeys may act on a risk threshold when the model’s precision there is at least{' '}
          <input
            aria-label="Minimum precision"
            type="number"
            min={0}
            max={1}
            step={0.05}
            value={settings.minPrecision}
            onChange={(e) => setSettings((s) => ({ ...s, minPrecision: Number(e.target.value) }))}
          />
        </label>
        <label>
          Retrain on (cron, UTC){' '}
          <input
            aria-label="Retraining schedule"
            value={settings.retrainCron}
            onChange={(e) => setSettings((s) => ({ ...s, retrainCron: e.target.value }))}
          />
        </label>
      </fieldset>
      <ol className="stage-list">
        {settings.stages.map((st, i) => (
          <li key={i} data-testid={`stage-${st.key}`}>
            <label>
              Name <input value={st.label} onChange={(e) => setStage(i, { label: e.target.value })} />
            </label>{' '}
            <span className="muted">{people.get(st.key) ?? 0} people now</span>
            {i > 0 && (
              <div>
                <label>
                  Match{' '}
                  <select
                    value={st.match}
                    onChange={(e) => setStage(i, { match: e.target.value as Stage['match'] })}
                  >
                    <option value="any">any condition</option>
                    <option value="all">all conditions</option>
                  </select>
                </label>
                <ul>
                  {st.conditions.map((c, k) => (
                    <li key={k}>
                      <select
                        aria-label="Feature"
                        value={c.feature}
                        onChange={(e) =>
                          setCondition(i, k, { feature: e.target.value as Condition['feature'] })
                        }
                      >
                        {settings.features.map((f) => (
                          <option key={f} value={f}>
                            {f.replace(/_/g, ' ')}
                          </option>
                        ))}
                      </select>{' '}
                      <select
                        aria-label="Comparison"
                        value={c.op}
                        onChange={(e) => setCondition(i, k, { op: e.target.value as Condition['op'] })}
                      >
                        <option value="gte">at least</option>
                        <option value="lte">at most</option>
                      </select>{' '}
                      <input
                        aria-label="Value"
                        type="number"
                        value={c.value}
                        onChange={(e) => setCondition(i, k, { value: Number(e.target.value) })}
                      />{' '}
                      <button
                        type="button"
                        className="btn btn--ghost btn--sm"
                        onClick={() => setStage(i, { conditions: st.conditions.filter((_, j) => j !== k) })}
                      >
                        Remove
                      </button>
                    </li>
                  ))}
                </ul>
                <button
                  type="button"
                  className="btn btn--ghost btn--sm"
                  onClick={() =>
                    setStage(i, {
                      conditions: [...st.conditions, { feature: 'events_30d', op: 'gte', value: 1 }],
                    })
                  }
                >
                  Add condition
                </button>
              </div>
            )}
          </li>
        ))}
      </ol>
      {discovery && (
        <div data-testid="stage-suggestions">
          <h3>
            Suggested from {discovery.people} people as of {discovery.asOf.slice(0, 10)}
          </h3>
          <table>
            <thead>
              <tr>
                <th>Stage</th>
                <th>People</th>
                <th>Converted</th>
                <th>Typical behaviour</th>
              </tr>
            </thead>
            <tbody>
              {discovery.suggestions.map((s) => (
                <tr key={s.key}>
                  <td>{s.label}</td>
                  <td>
                    {s.size} ({Math.round(s.share * 100)}%)
                  </td>
                  <td>{Math.round(s.conversionRate * 100)}%</td>
                  <td>{s.typical.join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            className="btn btn--secondary"
            onClick={() =>
              setSettings((s) => ({
                ...s,
                stages: discovery.suggestions.map(({ key, label, conditions, match }) => ({
                  key,
                  label,
                  conditions,
                  match,
                })),
              }))
            }
          >
            Use these stages (then Save)
          </button>
        </div>
      )}
    </section>
  );
}
