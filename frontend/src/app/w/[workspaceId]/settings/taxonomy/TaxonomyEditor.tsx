'use client';

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { api } from '@/api/client';
import { describeApiError, settle } from '@/api/errors';
import type { ApiErrorBody, PreviewRow, ReapplyJob, Taxonomy, TaxonomyRule } from '@/api/types';
import { INTENTS } from '@/api/types';
import { formatCount, plural, urlPath } from '@/lib/format';
import { useHydrated } from '@/lib/useHydrated';
import { MappingChips, TypeLabel, intentLabel, isBehavioural } from '@/components/EventChips';
import { Icon } from '@/components/Icon';
import { SaveFooter, useLeaveWarning } from '@/components/SaveFooter';

const PREVIEW_DEBOUNCE_MS = 400;
const JOB_POLL_MS = 1000;
const LIMITS = { pattern: 300, canonicalEvent: 120, category: 60 } as const;

type Field = 'matchKind' | 'pattern' | 'canonicalEvent' | 'category' | 'intent';
type TextField = 'pattern' | 'canonicalEvent' | 'category';
interface DraftRule extends TaxonomyRule {
  key: number;
}

let nextKey = 1;
const withKeys = (rules: TaxonomyRule[]): DraftRule[] => rules.map((r) => ({ ...r, key: nextKey++ }));
const strip = (rules: DraftRule[]): TaxonomyRule[] =>
  rules.map(({ matchKind, pattern, canonicalEvent, category, intent }) => ({
    matchKind,
    pattern: pattern.trim(),
    canonicalEvent: canonicalEvent.trim(),
    category: category.trim(),
    intent,
  }));
const sameRules = (a: TaxonomyRule[], b: TaxonomyRule[]) => JSON.stringify(a) === JSON.stringify(b);

const FIELD_LABELS: Record<TextField, string> = {
  pattern: 'pattern',
  canonicalEvent: 'canonical event',
  category: 'category',
};

/** Problems the browser can see before asking the API: empty or over-long fields. */
function localProblems(rules: DraftRule[]): Map<number, Partial<Record<Field, string>>> {
  const out = new Map<number, Partial<Record<Field, string>>>();
  rules.forEach((r, i) => {
    const p: Partial<Record<Field, string>> = {};
    for (const f of ['pattern', 'canonicalEvent', 'category'] as const) {
      const v = r[f].trim();
      if (!v) p[f] = `Rule ${i + 1}: enter a ${FIELD_LABELS[f]}.`;
      else if (v.length > LIMITS[f])
        p[f] = `Rule ${i + 1}: the ${FIELD_LABELS[f]} is too long (${LIMITS[f]} at most).`;
    }
    if (Object.keys(p).length) out.set(i, p);
  });
  return out;
}

/** Maps the API's `details` ("rule 3: pattern … is not valid", "rules.2.category …") to rows and fields. */
function serverProblems(error: ApiErrorBody): Map<number, Partial<Record<Field, string>>> {
  const out = new Map<number, Partial<Record<Field, string>>>();
  const details = Array.isArray(error.details) ? error.details : [];
  for (const d of details) {
    const text = typeof d === 'string' ? d : JSON.stringify(d);
    let index: number | undefined;
    let field: Field = 'pattern';
    const human = /rule (\d+)/i.exec(text);
    const dotted = /rules\.(\d+)\.(\w+)/.exec(text);
    if (dotted) {
      index = Number(dotted[1]);
      if (['matchKind', 'pattern', 'canonicalEvent', 'category', 'intent'].includes(dotted[2] ?? '')) {
        field = dotted[2] as Field;
      }
    } else if (human) {
      index = Number(human[1]) - 1;
    }
    if (index === undefined || Number.isNaN(index)) continue;
    out.set(index, { ...out.get(index), [field]: text.charAt(0).toUpperCase() + text.slice(1) });
  }
  return out;
}

function mappingChanged(row: PreviewRow): boolean {
  return (
    row.current.canonicalEvent !== row.proposed.canonicalEvent ||
    row.current.category !== row.proposed.category ||
    row.current.intent !== row.proposed.intent
  );
}

export function TaxonomyEditor({ workspaceId, initial }: { workspaceId: string; initial: Taxonomy }) {
  const [rules, setRules] = useState<DraftRule[]>(() => withKeys(initial.rules));
  const [saved, setSaved] = useState<TaxonomyRule[]>(initial.rules);
  const [isDefault, setIsDefault] = useState(initial.isDefault);
  const [saving, setSaving] = useState(false);
  const [saveMessage, setSaveMessage] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [apiProblems, setApiProblems] = useState<Map<number, Partial<Record<Field, string>>>>(new Map());
  const [showLocalProblems, setShowLocalProblems] = useState(false);
  // Bumped when a re-apply finishes: the stored ("current") mappings changed, so the preview reloads.
  const [historyVersion, setHistoryVersion] = useState(0);
  const onReapplied = useCallback(() => setHistoryVersion((v) => v + 1), []);
  const hydrated = useHydrated();
  const ws = useMemo(() => ({ path: { workspaceId } }), [workspaceId]);

  const draft = useMemo(() => strip(rules), [rules]);
  const dirty = !sameRules(draft, saved);
  const local = useMemo(() => localProblems(rules), [rules]);
  const problems = useMemo(() => {
    const merged = new Map(apiProblems);
    for (const [i, p] of local) merged.set(i, { ...merged.get(i), ...p });
    return merged;
  }, [apiProblems, local]);

  // Focus to restore after a row moves or disappears.
  const focusAfterRender = useRef<string | null>(null);
  const controls = useRef(new Map<string, HTMLElement>());
  const register = (id: string) => (el: HTMLElement | null) => {
    if (el) controls.current.set(id, el);
    else controls.current.delete(id);
  };
  useLayoutEffect(() => {
    const id = focusAfterRender.current;
    if (!id) return;
    focusAfterRender.current = null;
    const el = controls.current.get(id);
    el?.focus();
    el?.scrollIntoView({ block: 'nearest' });
  });

  // Warn before leaving with unsaved rules.
  useLeaveWarning(dirty);

  function edit(key: number, field: Field, value: string) {
    setRules((list) => list.map((r) => (r.key === key ? ({ ...r, [field]: value } as DraftRule) : r)));
    setApiProblems(new Map());
    setSaveMessage(null);
  }

  function move(index: number, delta: -1 | 1) {
    const target = index + delta;
    if (target < 0 || target >= rules.length) return;
    const rule = rules[index];
    if (!rule) return;
    const next = [...rules];
    next.splice(index, 1);
    next.splice(target, 0, rule);
    setRules(next);
    setApiProblems(new Map());
    setSaveMessage(null);
    // Keep focus on the same arrow unless the row reached the end where that arrow is disabled.
    const edge = delta === -1 ? target === 0 : target === next.length - 1;
    focusAfterRender.current = `${rule.key}:${edge ? (delta === -1 ? 'down' : 'up') : delta === -1 ? 'up' : 'down'}`;
  }

  function remove(index: number) {
    const next = rules.filter((_, i) => i !== index);
    setRules(next);
    setApiProblems(new Map());
    setSaveMessage(null);
    const neighbour = next[index] ?? next[index - 1];
    focusAfterRender.current = neighbour ? `${neighbour.key}:remove` : 'add';
  }

  function add() {
    const rule: DraftRule = {
      key: nextKey++,
      matchKind: 'event',
      pattern: '',
      canonicalEvent: '',
      category: '',
      intent: 'evaluation',
    };
    setRules((list) => [rule, ...list]);
    setApiProblems(new Map());
    setSaveMessage(null);
    focusAfterRender.current = `${rule.key}:pattern`;
  }

  function discard() {
    setRules(withKeys(saved));
    setApiProblems(new Map());
    setShowLocalProblems(false);
    setSaveError(null);
    setSaveMessage(null);
  }

  async function save() {
    if (local.size > 0) {
      setShowLocalProblems(true);
      setSaveError('Some rules are incomplete. Fill in the highlighted fields, or remove those rules.');
      const first = [...local.keys()][0];
      const rule = first === undefined ? undefined : rules[first];
      const field = rule ? (Object.keys(local.get(first!) ?? {})[0] ?? 'pattern') : null;
      if (rule && field) {
        const el = controls.current.get(`${rule.key}:${field}`);
        el?.focus();
        el?.scrollIntoView({ block: 'nearest' });
      }
      return;
    }
    setSaving(true);
    setSaveError(null);
    setSaveMessage(null);
    const outcome = await settle(
      api.PUT('/api/workspaces/{workspaceId}/taxonomy', { params: ws, body: { rules: draft } }),
    );
    setSaving(false);
    if (!outcome.ok) {
      setApiProblems(serverProblems(outcome.error));
      setSaveError(describeApiError(outcome.error));
      return;
    }
    const data = outcome.result.data;
    if (data) {
      setSaved(data.rules);
      setIsDefault(data.isDefault);
      if (!sameRules(data.rules, draft)) setRules(withKeys(data.rules));
    }
    setShowLocalProblems(false);
    setSaveMessage('Saved. New events use these rules; re-apply to update the events already stored.');
  }

  const categories = useMemo(
    () => [...new Set(rules.map((r) => r.category.trim()).filter(Boolean))].sort(),
    [rules],
  );

  const invalidCount = showLocalProblems ? problems.size : apiProblems.size;

  return (
    <div className="stack-lg">
      {isDefault ? (
        <div className="notice notice--info" data-testid="taxonomy-default">
          <Icon name="info" size={16} />
          <p>
            <strong>Using the default taxonomy:</strong> Cairn’s built-in rules for common B2B SaaS pages and
            Segment spec events. Edit and save them to make them your own.
          </p>
        </div>
      ) : null}

      <section className="panel panel--flush" aria-labelledby="rules-title" data-testid="taxonomy-rules">
        <header className="panel__header panel__header--split">
          <div>
            <h2 id="rules-title" className="panel__title">
              Rules <span className="count">{rules.length}</span>
            </h2>
            <p className="muted small">
              Checked top to bottom; the first match wins. <code>*</code> matches anything, case is ignored.
              URL rules match the page’s path, for example <code>*/pricing*</code>.
            </p>
          </div>
          <button
            ref={register('add')}
            type="button"
            className="btn btn--secondary btn--sm"
            onClick={add}
            disabled={!hydrated}
            data-testid="taxonomy-add"
          >
            <Icon name="plus" size={14} />
            Add rule
          </button>
        </header>

        <div className="rules-scroll">
          <table className="table table--compact table--edit" data-testid="taxonomy-table">
            <thead>
              <tr>
                <th scope="col" className="rules__num">
                  #
                </th>
                <th scope="col">Match</th>
                <th scope="col">Pattern</th>
                <th scope="col">Canonical event</th>
                <th scope="col">Category</th>
                <th scope="col">Intent</th>
                <th scope="col" className="table__actions">
                  <span className="visually-hidden">Order and remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rules.length === 0 ? (
                <tr>
                  <td colSpan={7} className="panel__empty">
                    No rules: every event keeps its own name and no category. Add a rule, or discard your
                    changes to get the saved rules back.
                  </td>
                </tr>
              ) : null}
              {rules.map((r, i) => {
                const n = i + 1;
                const p = showLocalProblems ? problems.get(i) : apiProblems.get(i);
                const bad = (f: Field) => (p?.[f] ? true : undefined);
                return (
                  <tr
                    key={r.key}
                    className={p ? 'row--invalid' : undefined}
                    data-testid="taxonomy-rule"
                    data-pattern={r.pattern}
                  >
                    <td className="rules__num muted">{n}</td>
                    <td>
                      <select
                        ref={register(`${r.key}:matchKind`)}
                        className="select select--compact select--narrow"
                        aria-label={`Rule ${n}: match on`}
                        value={r.matchKind}
                        onChange={(e) => edit(r.key, 'matchKind', e.target.value)}
                      >
                        <option value="event">Event</option>
                        <option value="url">URL</option>
                      </select>
                    </td>
                    <td>
                      <input
                        ref={register(`${r.key}:pattern`)}
                        className="input input--compact input--mono"
                        aria-label={`Rule ${n}: pattern`}
                        aria-invalid={bad('pattern')}
                        placeholder={r.matchKind === 'url' ? '*/pricing*' : 'Trial Started'}
                        maxLength={LIMITS.pattern}
                        value={r.pattern}
                        onChange={(e) => edit(r.key, 'pattern', e.target.value)}
                        data-testid="rule-pattern"
                      />
                    </td>
                    <td>
                      <input
                        ref={register(`${r.key}:canonicalEvent`)}
                        className="input input--compact"
                        aria-label={`Rule ${n}: canonical event`}
                        aria-invalid={bad('canonicalEvent')}
                        placeholder="Viewed Pricing"
                        maxLength={LIMITS.canonicalEvent}
                        value={r.canonicalEvent}
                        onChange={(e) => edit(r.key, 'canonicalEvent', e.target.value)}
                        data-testid="rule-canonical"
                      />
                    </td>
                    <td>
                      <input
                        ref={register(`${r.key}:category`)}
                        className="input input--compact input--category"
                        aria-label={`Rule ${n}: category`}
                        aria-invalid={bad('category')}
                        placeholder="pricing"
                        list="taxonomy-categories"
                        maxLength={LIMITS.category}
                        value={r.category}
                        onChange={(e) => edit(r.key, 'category', e.target.value)}
                        data-testid="rule-category"
                      />
                    </td>
                    <td>
                      <select
                        ref={register(`${r.key}:intent`)}
                        className={`select select--compact select--intent select--intent-${r.intent}`}
                        aria-label={`Rule ${n}: intent`}
                        value={r.intent}
                        onChange={(e) => edit(r.key, 'intent', e.target.value)}
                        data-testid="rule-intent"
                      >
                        {INTENTS.map((intent) => (
                          <option key={intent} value={intent}>
                            {intentLabel(intent)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="table__actions">
                      <span className="icon-buttons">
                        <button
                          ref={register(`${r.key}:up`)}
                          type="button"
                          className="btn btn--ghost btn--icon"
                          aria-label={`Move rule ${n} up`}
                          title="Move up"
                          disabled={i === 0}
                          onClick={() => move(i, -1)}
                        >
                          <Icon name="arrowUp" size={15} />
                        </button>
                        <button
                          ref={register(`${r.key}:down`)}
                          type="button"
                          className="btn btn--ghost btn--icon"
                          aria-label={`Move rule ${n} down`}
                          title="Move down"
                          disabled={i === rules.length - 1}
                          onClick={() => move(i, 1)}
                        >
                          <Icon name="arrowDown" size={15} />
                        </button>
                        <button
                          ref={register(`${r.key}:remove`)}
                          type="button"
                          className="btn btn--ghost-danger btn--icon"
                          aria-label={`Remove rule ${n}`}
                          title="Remove"
                          onClick={() => remove(i)}
                        >
                          <Icon name="trash" size={15} />
                        </button>
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <datalist id="taxonomy-categories">
            {categories.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </div>

        <SaveFooter
          dirty={dirty}
          saving={saving}
          ready={hydrated}
          failed={Boolean(saveError)}
          message={saveMessage}
          saveLabel="Save rules"
          statusTestId="taxonomy-save-status"
          saveTestId="taxonomy-save"
          onDiscard={discard}
          onSave={() => void save()}
        />
        {saveError ? (
          <div className="panel__body panel__body--tight">
            <div className="alert alert--error" role="alert" data-testid="taxonomy-error">
              <Icon name="alert" size={18} />
              <div>
                <p>{saveError}</p>
                {invalidCount > 0 ? (
                  <p className="small">{plural(invalidCount, 'rule')} highlighted above.</p>
                ) : null}
              </div>
            </div>
          </div>
        ) : null}
      </section>

      <Preview
        workspaceId={workspaceId}
        draft={draft}
        hasLocalProblems={local.size > 0}
        historyVersion={historyVersion}
      />

      <Reapply workspaceId={workspaceId} dirty={dirty} onFinished={onReapplied} />
    </div>
  );
}

type PreviewState =
  | { kind: 'loading' }
  | { kind: 'ready' }
  | { kind: 'invalid'; message: string }
  | { kind: 'error'; message: string };

/** Re-runs the draft rules over the last 50 events (debounced) and shows what would change. */
function Preview({
  workspaceId,
  draft,
  hasLocalProblems,
  historyVersion,
}: {
  workspaceId: string;
  draft: TaxonomyRule[];
  hasLocalProblems: boolean;
  historyVersion: number;
}) {
  const [state, setState] = useState<PreviewState>({ kind: 'loading' });
  const [rows, setRows] = useState<PreviewRow[] | null>(null);
  const [updating, setUpdating] = useState(true);
  const [onlyChanged, setOnlyChanged] = useState(false);
  const seq = useRef(0);
  const draftJson = JSON.stringify(draft);

  const run = useCallback(
    async (body: TaxonomyRule[], id: number) => {
      const outcome = await settle(
        api.POST('/api/workspaces/{workspaceId}/taxonomy/preview', {
          params: { path: { workspaceId } },
          body: { rules: body },
        }),
      );
      if (id !== seq.current) return; // A newer edit superseded this request.
      setUpdating(false);
      if (!outcome.ok) {
        setState(
          outcome.status === 400
            ? { kind: 'invalid', message: describeApiError(outcome.error) }
            : { kind: 'error', message: describeApiError(outcome.error) },
        );
        return;
      }
      const data = outcome.result.data ?? [];
      setRows(data);
      setState({ kind: 'ready' });
    },
    [workspaceId],
  );

  useEffect(() => {
    const id = ++seq.current;
    if (hasLocalProblems) {
      setUpdating(false);
      setState({ kind: 'invalid', message: 'Finish the incomplete rules to update the preview.' });
      return;
    }
    setUpdating(true);
    const timer = window.setTimeout(
      () => void run(JSON.parse(draftJson) as TaxonomyRule[], id),
      PREVIEW_DEBOUNCE_MS,
    );
    return () => window.clearTimeout(timer);
  }, [draftJson, hasLocalProblems, historyVersion, run]);

  const changed = rows ? rows.filter(mappingChanged).length : 0;
  const shown = rows ? (onlyChanged ? rows.filter(mappingChanged) : rows) : [];

  return (
    <section className="panel panel--flush" aria-labelledby="preview-title" data-testid="taxonomy-preview">
      <header className="panel__header panel__header--split">
        <div>
          <h2 id="preview-title" className="panel__title">
            Live preview
          </h2>
          <p className="muted small" role="status" aria-live="polite" data-testid="preview-summary">
            {state.kind === 'loading' && !rows
              ? 'Mapping the latest events with your draft…'
              : rows && rows.length === 0
                ? 'No events yet: the preview fills in once events arrive.'
                : rows
                  ? `${changed === 0 ? 'No' : formatCount(changed)} of the last ${plural(rows.length, 'event')} would map differently${updating ? ' · updating…' : '.'}`
                  : null}
          </p>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={onlyChanged} onChange={(e) => setOnlyChanged(e.target.checked)} />
          Only changed
        </label>
      </header>

      {state.kind === 'invalid' || state.kind === 'error' ? (
        <div className="panel__body panel__body--tight">
          <div className={`alert ${state.kind === 'error' ? 'alert--error' : 'alert--warn'}`} role="alert">
            <Icon name="alert" size={18} />
            <p>
              {state.kind === 'invalid' ? 'The preview is paused: ' : 'The preview could not be updated: '}
              {state.message}
            </p>
          </div>
        </div>
      ) : null}

      {rows && rows.length > 0 ? (
        shown.length === 0 ? (
          <p className="panel__empty">None of these events would change.</p>
        ) : (
          <div className={`table-wrap preview-table${updating ? ' is-updating' : ''}`}>
            <table className="table table--compact" data-testid="preview-table">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Current</th>
                  <th scope="col" aria-hidden="true" className="preview__arrow-col" />
                  <th scope="col">Proposed</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((row) => {
                  const isChanged = mappingChanged(row);
                  return (
                    <tr
                      key={row.messageId}
                      className={isChanged ? 'row--changed' : undefined}
                      data-testid="preview-row"
                      data-changed={isChanged ? 'true' : 'false'}
                      data-event={row.event ?? ''}
                    >
                      <td className="cell-clip">
                        <span className="preview__event">
                          <TypeLabel type={row.type} />
                          <span title={row.url ?? row.event ?? undefined}>
                            {row.event ?? (row.url ? urlPath(row.url) : '—')}
                          </span>
                        </span>
                        {row.event && row.url ? (
                          <span className="preview__url muted">{urlPath(row.url)}</span>
                        ) : null}
                      </td>
                      <td>
                        <MappingCell mapping={row.current} type={row.type} />
                      </td>
                      <td className="preview__arrow" aria-hidden="true">
                        <Icon name="arrowRight" size={14} />
                      </td>
                      <td data-testid="preview-proposed">
                        <MappingCell mapping={row.proposed} type={row.type} />
                        {isChanged ? <span className="visually-hidden"> (changed)</span> : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </section>
  );
}

function MappingCell({ mapping, type }: { mapping: PreviewRow['current']; type: string }) {
  if (!isBehavioural(type) && !mapping.canonicalEvent && !mapping.category && !mapping.intent) {
    return <span className="muted">Not mapped ({type} call)</span>;
  }
  return (
    <span className="mapping">
      <span className="mapping__name">{mapping.canonicalEvent ?? <span className="muted">—</span>}</span>
      <MappingChips category={mapping.category} intent={mapping.intent} type={type} />
    </span>
  );
}

/** Starts the re-apply job and follows its progress until it ends. */
function Reapply({
  workspaceId,
  dirty,
  onFinished,
}: {
  workspaceId: string;
  dirty: boolean;
  onFinished: () => void;
}) {
  const [job, setJob] = useState<ReapplyJob | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hydrated = useHydrated();
  const running = job?.state === 'running';

  useEffect(() => {
    if (!job || job.state !== 'running') return;
    let cancelled = false;
    const poll = async () => {
      const outcome = await settle(
        api.GET('/api/workspaces/{workspaceId}/taxonomy/reapply/{jobId}', {
          params: { path: { workspaceId, jobId: job.id } },
        }),
      );
      if (cancelled) return;
      if (!outcome.ok) {
        setError(describeApiError(outcome.error));
        // Keep polling: a blip should not lose track of a running job.
        setJob({ ...job });
        return;
      }
      setError(null);
      const next = outcome.result.data;
      if (next) {
        setJob(next);
        if (next.state !== 'running') onFinished();
      }
    };
    const timer = window.setTimeout(() => void poll(), JOB_POLL_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [job, workspaceId, onFinished]);

  async function start() {
    setStarting(true);
    setError(null);
    const outcome = await settle(
      api.POST('/api/workspaces/{workspaceId}/taxonomy/reapply', { params: { path: { workspaceId } } }),
    );
    setStarting(false);
    if (!outcome.ok) {
      setError(describeApiError(outcome.error));
      return;
    }
    const jobId = outcome.result.data?.jobId;
    if (jobId) {
      setJob({
        id: jobId,
        state: 'running',
        processed: 0,
        total: 0,
        startedAt: new Date().toISOString(),
        finishedAt: null,
        error: null,
      });
    }
  }

  const pct = job
    ? job.total > 0
      ? Math.min(100, Math.round((job.processed / job.total) * 100))
      : job.state === 'completed'
        ? 100
        : 0
    : 0;

  return (
    <section className="panel" aria-labelledby="reapply-title" data-testid="taxonomy-reapply">
      <div className="reapply">
        <div>
          <h2 id="reapply-title" className="panel__title">
            Re-apply to history
          </h2>
          <p className="muted small panel__subtitle">
            Saved rules apply to new events. Re-applying maps every stored event again with the saved rules,
            so insights and stages use the new categories.
          </p>
        </div>
        <button
          type="button"
          className="btn btn--secondary"
          disabled={!hydrated || dirty || running || starting}
          onClick={() => void start()}
          aria-describedby={dirty ? 'reapply-hint' : undefined}
          data-testid="taxonomy-reapply-start"
        >
          <Icon name="refresh" size={16} />
          {running || starting ? 'Re-applying…' : 'Re-apply to history'}
        </button>
      </div>
      {dirty ? (
        <p className="field__hint" id="reapply-hint">
          Save your changes first: re-applying uses the saved rules.
        </p>
      ) : null}

      {job ? (
        <div className="progress-block" data-testid="reapply-progress">
          <div
            className={`progress progress--${job.state}`}
            role="progressbar"
            aria-label="Re-apply progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
            aria-valuetext={`${formatCount(job.processed)} of ${formatCount(job.total)} events`}
          >
            <span className="progress__bar" style={{ width: `${pct}%` }} />
          </div>
          <p className="small" role="status" aria-live="polite" data-testid="reapply-status">
            {job.state === 'running'
              ? `Re-applying… ${formatCount(job.processed)} of ${plural(job.total, 'event')} (${pct}%)`
              : job.state === 'completed'
                ? `Done: ${plural(job.processed, 'event')} mapped with the saved rules.`
                : `The job failed after ${plural(job.processed, 'event')}${job.error ? `: ${job.error}` : '.'}`}
          </p>
        </div>
      ) : null}
      {error ? (
        <div className="alert alert--error" role="alert">
          <Icon name="alert" size={18} />
          <p>{error}</p>
        </div>
      ) : null}
    </section>
  );
}
