'use client';

import { useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { api } from '@/api/client';
import { describeApiError, toApiError } from '@/api/errors';
import type { ApiErrorBody } from '@/api/types';
import { Icon } from '@/components/Icon';
import { SaveFooter, useLeaveWarning } from '@/components/SaveFooter';
import { formatCount, plural } from '@/lib/format';
import { useHydrated } from '@/lib/useHydrated';
import { describeCron } from './cron-words';
import { day } from './dates';
import { conditionText, featureLabel, featureUnit, groupFeatures } from './feature-labels';
import type { IntelligenceSettings, StageCount, StageDiscovery } from './intelligence-types';
import { stageKey } from './stage-key';
import styles from './model.module.css';

type Stage = IntelligenceSettings['stages'][number];
type Condition = Stage['conditions'][number];
type Body = Omit<IntelligenceSettings, 'features'>;
/** A stage being edited: `fresh` until saved, so its key follows its name. */
interface DraftStage extends Stage {
  id: number;
  fresh: boolean;
}
interface Draft extends Omit<Body, 'stages'> {
  stages: DraftStage[];
}

const MIN_STAGES = 3;
const MAX_STAGES = 5;
const MAX_CONDITIONS = 8;
const NEW_CONDITION: Condition = { feature: 'events_30d', op: 'gte', value: 1 };

let nextId = 1;
const toDraft = (s: Body, fresh: (key: string) => boolean = () => false): Draft => ({
  goal: s.goal,
  horizonDays: s.horizonDays,
  minPrecision: s.minPrecision,
  retrainCron: s.retrainCron,
  stages: s.stages.map((st) => ({ ...st, id: nextId++, fresh: fresh(st.key) })),
});
const toBody = (d: Draft): Body => ({
  stages: d.stages.map(({ key, label, conditions, match }) => ({ key, label, conditions, match })),
  goal:
    d.goal.kind === 'event' ? { kind: 'event', event: d.goal.event } : { kind: 'stage', stage: d.goal.stage },
  horizonDays: d.horizonDays,
  minPrecision: d.minPrecision,
  retrainCron: d.retrainCron,
});
/** Settings compared by value, whatever order the API returns an object's fields in. */
const fingerprint = (b: Body) =>
  JSON.stringify([
    b.stages.map((s) => [
      s.key,
      s.label.trim(),
      s.match,
      s.conditions.map((c) => [c.feature, c.op, c.value]),
    ]),
    b.goal.kind,
    b.goal.kind === 'event' ? (b.goal.event ?? '').trim() : b.goal.stage,
    b.horizonDays,
    b.minPrecision,
    b.retrainCron.trim(),
  ]);

/** New stages take their key from their name; a goal on a stage follows the stage's key or falls back. */
function normalise(d: Draft): Draft {
  const taken = new Set(d.stages.filter((s) => !s.fresh).map((s) => s.key));
  const renamed = new Map<string, string>();
  const stages = d.stages.map((s) => {
    if (!s.fresh) return s;
    const key = stageKey(s.label, taken);
    taken.add(key);
    if (key === s.key) return s;
    renamed.set(s.key, key);
    return { ...s, key };
  });
  let goal = d.goal;
  if (goal.kind === 'stage') {
    const wanted = renamed.get(goal.stage ?? '') ?? goal.stage;
    const stage = stages.some((s) => s.key === wanted) ? wanted : stages[stages.length - 1]?.key;
    if (stage !== goal.stage) goal = { kind: 'stage', stage };
  }
  return { ...d, stages, goal };
}

const FIELD_NAMES: Record<string, string> = {
  goal: 'Conversion',
  horizonDays: 'Prediction window',
  minPrecision: 'Minimum precision',
  retrainCron: 'Retraining schedule',
};

/** The API's "stages.3.conditions: …; retrainCron: …" as sentences, and which stages they are about. */
function readServerError(error: ApiErrorBody, stages: DraftStage[]): { text: string; stages: Set<number> } {
  const flagged = new Set<number>();
  const raw =
    error.code === 'validation.failed' && Array.isArray(error.details) && error.details.length > 0
      ? error.details.map((d) => (typeof d === 'string' ? d : JSON.stringify(d)))
      : error.code === 'validation.failed'
        ? error.message.split(/;\s+/)
        : [describeApiError(error)];
  const parts = raw.map((part) => {
    const stage = /^stages\.(\d+)(?:\.[\w.]+)?(?::\s*|\s+)(.*)$/.exec(part);
    if (stage) {
      const i = Number(stage[1]);
      flagged.add(i);
      const name = stages[i]?.label.trim();
      const said = stage[2]!;
      return `Stage ${i + 1}${name && !said.includes(`"${name}"`) ? ` (${name})` : ''}: ${said}`;
    }
    const field = /^(\w+)(?:\.[\w.]+)?(?::\s*|\s+)(.*)$/.exec(part);
    if (field && field[1] === 'stages') return field[2]!;
    if (field && FIELD_NAMES[field[1]!]) return `${FIELD_NAMES[field[1]!]}: ${field[2]}`;
    return part;
  });
  const text = parts
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .map((p) => (/[.!?]$/.test(p) ? p : `${p}.`))
    .join(' ');
  return { text, stages: flagged };
}

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
  const features = initial.features;
  const [saved, setSaved] = useState<Body>(() => toBody(toDraft(initial)));
  const [draft, setDraft] = useState<Draft>(() => toDraft(initial));
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [flagged, setFlagged] = useState<Set<number>>(new Set());
  const [discovery, setDiscovery] = useState<StageDiscovery | null>(null);
  const [applied, setApplied] = useState(false);
  const [saving, setSaving] = useState(false);
  const [discovering, setDiscovering] = useState(false);
  const [discoverError, setDiscoverError] = useState<string | null>(null);
  const hydrated = useHydrated();
  const ids = useId();
  const path = { params: { path: { workspaceId } } };
  const people = useMemo(() => new Map(counts.map((c) => [c.key, c.people])), [counts]);
  const grouped = useMemo(() => groupFeatures(features), [features]);
  const savedKeys = useMemo(() => new Set(saved.stages.map((s) => s.key)), [saved]);

  const body = toBody(draft);
  const dirty = fingerprint(body) !== fingerprint(saved);
  const n = draft.stages.length;

  // Focus the name of a stage just added.
  const focusStage = useRef<number | null>(null);
  useLayoutEffect(() => {
    const id = focusStage.current;
    if (id === null) return;
    focusStage.current = null;
    const el = document.getElementById(`${ids}-name-${id}`) as HTMLInputElement | null;
    el?.focus();
    el?.select();
  });

  // Warn before leaving with unsaved changes.
  useLeaveWarning(dirty);

  function update(change: (d: Draft) => Draft) {
    setDraft((d) => normalise(change(d)));
    setMessage(null);
    setError(null);
    setFlagged(new Set());
  }
  const setStage = (i: number, patch: Partial<Stage>) =>
    update((d) => ({ ...d, stages: d.stages.map((st, j) => (j === i ? { ...st, ...patch } : st)) }));
  const setConditions = (i: number, change: (cs: Condition[]) => Condition[]) =>
    update((d) => ({
      ...d,
      stages: d.stages.map((st, j) => (j === i ? { ...st, conditions: change(st.conditions) } : st)),
    }));
  const setCondition = (i: number, k: number, patch: Partial<Condition>) =>
    setConditions(i, (cs) => cs.map((c, j) => (j === k ? { ...c, ...patch } : c)));

  function addStage() {
    const id = nextId++;
    update((d) => ({
      ...d,
      stages: [
        ...d.stages,
        { id, fresh: true, key: '', label: 'New stage', match: 'all', conditions: [{ ...NEW_CONDITION }] },
      ],
    }));
    focusStage.current = id;
  }
  const removeStage = (i: number) => update((d) => ({ ...d, stages: d.stages.filter((_, j) => j !== i) }));
  function moveStage(i: number, delta: -1 | 1) {
    const target = i + delta;
    // The first stage stays first: it is where everyone starts.
    if (i === 0 || target < 1 || target >= n) return;
    update((d) => {
      const stages = [...d.stages];
      const [moved] = stages.splice(i, 1);
      stages.splice(target, 0, moved!);
      return { ...d, stages };
    });
  }

  function discard() {
    setDraft(toDraft(saved));
    setMessage(null);
    setError(null);
    setFlagged(new Set());
  }

  async function save() {
    if (draft.stages.some((s) => !s.label.trim())) {
      setFlagged(new Set(draft.stages.flatMap((s, i) => (s.label.trim() ? [] : [i]))));
      setError('Give every stage a name.');
      return;
    }
    setSaving(true);
    setError(null);
    setMessage(null);
    const res = await api.PUT('/api/workspaces/{workspaceId}/intelligence/settings', { ...path, body });
    setSaving(false);
    if (!res.response.ok || !res.data) {
      const problem = readServerError(toApiError(res.error, res.response), draft.stages);
      setFlagged(problem.stages);
      setError(problem.text);
      return;
    }
    const { features: _features, ...next } = res.data;
    setSaved(next);
    setDraft(toDraft(next));
    setMessage('Saved. People move to their new stages as they are next scored.');
  }

  async function discover() {
    setDiscovering(true);
    setDiscoverError(null);
    const res = await api.POST('/api/workspaces/{workspaceId}/intelligence/stages/discover', path);
    setDiscovering(false);
    if (!res.response.ok || !res.data) {
      return setDiscoverError(describeApiError(toApiError(res.error, res.response)));
    }
    setDiscovery(res.data);
    setApplied(false);
  }

  function applySuggestions(d: StageDiscovery) {
    update((current) =>
      toDraft(
        {
          ...toBody(current),
          stages: d.suggestions.map(({ key, label, conditions, match }) => ({
            key,
            label,
            conditions,
            match,
          })),
        },
        (key) => !savedKeys.has(key),
      ),
    );
    setApplied(true);
  }

  const goalStage = draft.goal.kind === 'stage' ? draft.goal.stage : undefined;
  const schedule = describeCron(draft.retrainCron);

  return (
    <section
      className="panel panel--flush"
      aria-labelledby="stages-title"
      data-testid="stages-editor"
      aria-busy={saving || undefined}
    >
      <header className="panel__header panel__header--split">
        <div>
          <h2 id="stages-title" className="panel__title">
            Journey stages <span className="count">{n}</span>
          </h2>
          <p className="muted small panel__subtitle">
            A person is at the highest stage whose conditions hold, counted over their behaviour so far.
            Everyone starts in the first stage; use {MIN_STAGES} to {MAX_STAGES} stages.
          </p>
        </div>
        <div className={styles.headerActions}>
          <button
            type="button"
            className="btn btn--secondary btn--sm"
            onClick={() => void discover()}
            disabled={!hydrated || discovering || saving}
            data-testid="discover-stages"
          >
            <Icon name="search" size={14} />
            {discovering ? 'Discovering…' : 'Discover stages'}
          </button>
          <button
            type="button"
            className="btn btn--secondary btn--sm"
            onClick={addStage}
            disabled={!hydrated || n >= MAX_STAGES}
            title={n >= MAX_STAGES ? `At most ${MAX_STAGES} stages` : undefined}
            data-testid="add-stage"
          >
            <Icon name="plus" size={14} />
            Add stage
          </button>
        </div>
      </header>

      {discoverError ? (
        <div className={styles.suggestions}>
          <div className="alert alert--warn" role="alert">
            <Icon name="alert" size={18} />
            <p>Stages could not be discovered: {discoverError}</p>
            <button
              type="button"
              className="btn btn--ghost btn--sm alert__close"
              onClick={() => setDiscoverError(null)}
            >
              Dismiss
            </button>
          </div>
        </div>
      ) : null}

      {discovery ? (
        <div className={styles.suggestions} data-testid="stage-suggestions">
          <div className={styles.sectionHead}>
            <div>
              <h3 className={styles.subhead}>
                Suggested stages <span className="count">{discovery.suggestions.length}</span>
              </h3>
              <p className="muted small">
                Drafted from how {plural(discovery.people, 'person', 'people')} behaved up to{' '}
                {day(discovery.asOf)}, ordered by how often they went on to convert. Using them replaces the
                stages below; Save applies them.
              </p>
            </div>
            <div className={styles.headerActions}>
              <button type="button" className="btn btn--ghost btn--sm" onClick={() => setDiscovery(null)}>
                Dismiss
              </button>
              <button
                type="button"
                className="btn btn--secondary btn--sm"
                onClick={() => applySuggestions(discovery)}
                disabled={!hydrated}
                data-testid="use-suggestions"
              >
                {applied ? <Icon name="check" size={14} /> : null}
                {applied ? 'Used: review and Save' : 'Use these stages'}
              </button>
            </div>
          </div>
          <div className={`table-wrap ${styles.tableCard}`}>
            <table className="table table--compact">
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  <th scope="col" className={styles.num}>
                    People
                  </th>
                  <th scope="col" className={styles.num}>
                    Share
                  </th>
                  <th scope="col" className={styles.num}>
                    Converted
                  </th>
                  <th scope="col">Typical behaviour</th>
                </tr>
              </thead>
              <tbody>
                {discovery.suggestions.map((s, i) => (
                  <tr key={s.key}>
                    <td className="cell-strong">
                      <span className={styles.stageNumSmall}>{i + 1}</span>
                      {s.label}
                    </td>
                    <td className={styles.num}>{formatCount(s.size)}</td>
                    <td className={styles.num}>{Math.round(s.share * 100)}%</td>
                    <td className={styles.num}>{Math.round(s.conversionRate * 100)}%</td>
                    <td className="cell-wrap">
                      {s.typical.join('; ')}
                      {s.conditions.length ? (
                        <span className={`muted small ${styles.rule}`}>
                          Rule: {s.conditions.map(conditionText).join(s.match === 'all' ? ' and ' : ' or ')}
                        </span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}

      <ol className={styles.stages}>
        {draft.stages.map((st, i) => {
          const count = people.get(st.key);
          const nameId = `${ids}-name-${st.id}`;
          return (
            <li
              key={st.id}
              className={`${styles.stage}${flagged.has(i) ? ` ${styles.invalid}` : ''}`}
              data-testid={`stage-${st.key}`}
            >
              <span className={styles.stageNum} aria-hidden="true">
                {i + 1}
              </span>
              <div className={styles.stageMain}>
                <div className={styles.stageHead}>
                  <label className={styles.nameField}>
                    <span className="field__label">Name</span>
                    <input
                      id={nameId}
                      className="input input--compact"
                      value={st.label}
                      maxLength={60}
                      aria-invalid={flagged.has(i) && !st.label.trim() ? true : undefined}
                      onChange={(e) => setStage(i, { label: e.target.value })}
                    />
                  </label>
                  {st.fresh || count === undefined ? (
                    <span className={`count ${styles.people}`}>New: counted once saved</span>
                  ) : (
                    <span className={`count ${styles.people}`}>
                      {formatCount(count)} {count === 1 ? 'person' : 'people'} now
                    </span>
                  )}
                  {goalStage === st.key ? (
                    <span className="badge badge--marketer">Conversion goal</span>
                  ) : null}
                  <span className={`icon-buttons ${styles.stageActions}`}>
                    {i > 0 ? (
                      <>
                        <button
                          type="button"
                          className="btn btn--ghost btn--icon"
                          aria-label={`Move stage ${i + 1} up`}
                          title="Move up"
                          disabled={i <= 1}
                          onClick={() => moveStage(i, -1)}
                        >
                          <Icon name="arrowUp" size={15} />
                        </button>
                        <button
                          type="button"
                          className="btn btn--ghost btn--icon"
                          aria-label={`Move stage ${i + 1} down`}
                          title="Move down"
                          disabled={i >= n - 1}
                          onClick={() => moveStage(i, 1)}
                        >
                          <Icon name="arrowDown" size={15} />
                        </button>
                        <button
                          type="button"
                          className="btn btn--ghost-danger btn--icon"
                          aria-label={`Remove stage ${i + 1}`}
                          title={n <= MIN_STAGES ? `At least ${MIN_STAGES} stages` : 'Remove stage'}
                          disabled={n <= MIN_STAGES}
                          onClick={() => removeStage(i)}
                          data-testid="remove-stage"
                        >
                          <Icon name="trash" size={15} />
                        </button>
                      </>
                    ) : null}
                  </span>
                </div>

                {i === 0 ? (
                  <p className={`muted small ${styles.firstNote}`}>
                    Where everyone active starts: the first stage has no conditions.
                  </p>
                ) : (
                  <div className={styles.conditions}>
                    <p className={styles.matchLine}>
                      Reached when
                      <select
                        className="select select--compact"
                        aria-label="Match"
                        value={st.match}
                        onChange={(e) => setStage(i, { match: e.target.value as Stage['match'] })}
                      >
                        <option value="any">any</option>
                        <option value="all">all</option>
                      </select>
                      of these are true:
                    </p>
                    {st.conditions.length === 0 ? (
                      <p className="field__hint field__hint--error">
                        Add at least one condition: only the first stage has none.
                      </p>
                    ) : (
                      <ul className={styles.conditionList}>
                        {st.conditions.map((c, k) => {
                          const unit = featureUnit(c.feature);
                          return (
                            <li key={k} className={styles.condition}>
                              <select
                                className="select select--compact"
                                aria-label={`Condition ${k + 1}: behaviour`}
                                title={featureLabel(c.feature)}
                                value={c.feature}
                                onChange={(e) =>
                                  setCondition(i, k, { feature: e.target.value as Condition['feature'] })
                                }
                              >
                                {grouped.map((g) => (
                                  <optgroup key={g.group} label={g.group}>
                                    {g.keys.map((f) => (
                                      <option key={f} value={f}>
                                        {featureLabel(f)}
                                      </option>
                                    ))}
                                  </optgroup>
                                ))}
                              </select>
                              <select
                                className="select select--compact"
                                aria-label={`Condition ${k + 1}: comparison`}
                                value={c.op}
                                onChange={(e) =>
                                  setCondition(i, k, { op: e.target.value as Condition['op'] })
                                }
                              >
                                <option value="gte">at least</option>
                                <option value="lte">at most</option>
                              </select>
                              <span className={styles.valueCell}>
                                <input
                                  className="input input--compact"
                                  aria-label={`Condition ${k + 1}: value`}
                                  type="number"
                                  step="any"
                                  value={Number.isFinite(c.value) ? c.value : ''}
                                  onChange={(e) => setCondition(i, k, { value: Number(e.target.value) })}
                                />
                                <span className="muted small">{unit}</span>
                              </span>
                              <button
                                type="button"
                                className="btn btn--ghost-danger btn--icon"
                                aria-label={`Remove condition ${k + 1}`}
                                title="Remove condition"
                                onClick={() => setConditions(i, (cs) => cs.filter((_, j) => j !== k))}
                              >
                                <Icon name="trash" size={15} />
                              </button>
                            </li>
                          );
                        })}
                      </ul>
                    )}
                    <button
                      type="button"
                      className={`btn btn--ghost btn--sm ${styles.addCondition}`}
                      disabled={!hydrated || st.conditions.length >= MAX_CONDITIONS}
                      onClick={() => setConditions(i, (cs) => [...cs, { ...NEW_CONDITION }])}
                    >
                      <Icon name="plus" size={14} />
                      Add condition
                    </button>
                  </div>
                )}
              </div>
            </li>
          );
        })}
      </ol>

      <section className={styles.settings} aria-labelledby={`${ids}-settings`} data-testid="model-settings">
        <div className={styles.sectionHead}>
          <div>
            <h3 id={`${ids}-settings`} className={styles.subhead}>
              Prediction and retraining
            </h3>
            <p className="muted small">
              What the drop-off model predicts, and how carefully journeys use it.
            </p>
          </div>
        </div>
        <div className={styles.settingsGrid}>
          <div className="field">
            <label className="field__label" htmlFor={`${ids}-goal`}>
              Conversion means
            </label>
            <div className={styles.inline}>
              <select
                id={`${ids}-goal`}
                className="select"
                aria-label="Goal kind"
                value={draft.goal.kind}
                onChange={(e) =>
                  update((d) => ({
                    ...d,
                    goal:
                      e.target.value === 'stage'
                        ? { kind: 'stage', stage: d.stages[d.stages.length - 1]!.key }
                        : { kind: 'event', event: 'Trial Started' },
                  }))
                }
              >
                <option value="event">Doing an event</option>
                <option value="stage">Reaching a stage</option>
              </select>
              {draft.goal.kind === 'event' ? (
                <input
                  className="input"
                  aria-label="Goal event"
                  placeholder="Trial Started"
                  value={draft.goal.event ?? ''}
                  onChange={(e) => update((d) => ({ ...d, goal: { kind: 'event', event: e.target.value } }))}
                />
              ) : (
                <select
                  className="select"
                  aria-label="Goal stage"
                  value={draft.goal.stage}
                  onChange={(e) => update((d) => ({ ...d, goal: { kind: 'stage', stage: e.target.value } }))}
                >
                  {draft.stages.map((st) => (
                    <option key={st.id} value={st.key}>
                      {st.label || 'Unnamed stage'}
                    </option>
                  ))}
                </select>
              )}
            </div>
            <p className="field__hint">
              The model predicts who converts, and who is at risk of dropping off before they do. Events use
              their canonical name from the event taxonomy.
            </p>
          </div>

          <div className="field">
            <label className="field__label" htmlFor={`${ids}-horizon`}>
              Prediction window
            </label>
            <span className={styles.withUnit}>
              <input
                id={`${ids}-horizon`}
                className="input"
                aria-label="Horizon in days"
                type="number"
                min={1}
                max={365}
                value={Number.isFinite(draft.horizonDays) ? draft.horizonDays : ''}
                onChange={(e) => update((d) => ({ ...d, horizonDays: Number(e.target.value) }))}
              />
              <span className="muted">days</span>
            </span>
            <p className="field__hint">
              Converting within this many days counts. Training needs twice this much history.
            </p>
          </div>

          <div className="field">
            <label className="field__label" htmlFor={`${ids}-precision`}>
              Minimum precision
            </label>
            <span className={styles.withUnit}>
              <input
                id={`${ids}-precision`}
                className="input"
                aria-label="Minimum precision"
                type="number"
                min={0}
                max={100}
                step={5}
                value={Number.isFinite(draft.minPrecision) ? Math.round(draft.minPrecision * 1000) / 10 : ''}
                onChange={(e) => update((d) => ({ ...d, minPrecision: Number(e.target.value) / 100 }))}
              />
              <span className="muted">%</span>
            </span>
            <p className="field__hint">
              Used by the safety gate: journeys may act automatically on a risk threshold only when the
              model’s precision there is at least this.
            </p>
          </div>

          <div className="field">
            <label className="field__label" htmlFor={`${ids}-cron`}>
              Retraining schedule
            </label>
            <input
              id={`${ids}-cron`}
              className={`input input--mono ${styles.cron}`}
              aria-label="Retraining schedule"
              value={draft.retrainCron}
              spellCheck={false}
              onChange={(e) => update((d) => ({ ...d, retrainCron: e.target.value }))}
            />
            <p className="field__hint">
              {schedule ? `${schedule}. ` : null}Cron fields, in UTC: minute, hour, day of month, month,
              weekday
              {schedule ? (
                ''
              ) : (
                <>
                  {' '}
                  (<code>0 3 * * 1</code> is every Monday at 03:00)
                </>
              )}
              .
            </p>
          </div>
        </div>
      </section>

      <SaveFooter
        dirty={dirty}
        saving={saving}
        ready={hydrated}
        failed={Boolean(error)}
        message={message}
        saveLabel="Save"
        statusTestId="stages-save-status"
        saveTestId="save-stages"
        onDiscard={discard}
        onSave={() => void save()}
      />
      {error ? (
        <div className="panel__body panel__body--tight">
          <div className="alert alert--error" role="alert" data-testid="stages-error">
            <Icon name="alert" size={18} />
            <p>{error}</p>
          </div>
        </div>
      ) : null}
    </section>
  );
}
