'use client';

import { CANVAS_TRIGGER_TYPE, WEEKDAYS, type ValidationError } from '@cairn/workflows';
import { STAGES, kindInfo, outputsOf, type Data } from './catalog';
import { DurationField, JsonField, NumberField, SelectField, TextField } from './fields';
import { NodeIcon } from './NodeIcon';

export interface PanelNode {
  id: string;
  type: string;
  data: Data;
}

interface Props {
  node: PanelNode;
  errors: ValidationError[];
  readOnly: boolean;
  templates: { id: string; name: string }[];
  journeys: { id: string; name: string }[];
  /** The other nodes, for "leads to". */
  targets: { id: string; name: string }[];
  /** Output → the node it leads to. */
  connections: Map<string, string>;
  onChange: (data: Data) => void;
  onConnect: (output: string, target: string | null) => void;
  onDelete: () => void;
  templatesHref: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (typeof v === 'number' ? v : NaN);
const obj = (v: unknown): Data => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Data) : {});
const arr = (v: unknown): Data[] => (Array.isArray(v) ? (v as Data[]) : []);
const stageOptions = STAGES.map((s) => ({ value: s.key, label: s.label }));
const concreteStages = stageOptions.filter((s) => s.value !== 'any');

/** Configures the selected node; every change is saved with the draft, and errors show as you type. */
export function SidePanel(p: Props) {
  const { node, errors } = p;
  const kind = kindInfo(node.type);
  const set = (patch: Data) => p.onChange({ ...node.data, ...patch });
  const outputs = outputsOf(node.type, node.data);
  return (
    <aside className="jc-panel" aria-label="Step settings" data-testid="side-panel">
      <header className="jc-panel__head">
        <span className="jc-node__icon">
          <NodeIcon type={node.type} />
        </span>
        <div>
          <h2 className="jc-panel__title">{kind?.name ?? node.type}</h2>
          <p className="muted small">{kind?.hint}</p>
        </div>
      </header>
      {errors.length ? (
        <ul className="jc-panel__errors" role="alert" data-testid="node-errors">
          {errors.map((e, i) => (
            <li key={i}>{e.message}</li>
          ))}
        </ul>
      ) : null}
      <fieldset className="jc-panel__body" disabled={p.readOnly}>
        <TextField
          label="Label"
          value={str(node.data['label'])}
          onChange={(v) => set({ label: v || undefined })}
        />
        <Config {...p} set={set} />
        {outputs.length ? (
          <div className="jc-panel__section">
            <h3 className="jc-panel__subtitle">Leads to</h3>
            {outputs.map((o) => (
              <SelectField
                key={o.id}
                label={o.label ? `${o.label} leads to` : 'Next step'}
                value={p.connections.get(o.id) ?? ''}
                options={[
                  { value: '', label: 'End of journey' },
                  ...p.targets.filter((t) => t.id !== node.id).map((t) => ({ value: t.id, label: t.name })),
                ]}
                onChange={(v) => p.onConnect(o.id, v || null)}
              />
            ))}
          </div>
        ) : null}
        <div className="jc-panel__section">
          <button type="button" className="btn btn--ghost-danger btn--sm" onClick={p.onDelete}>
            Delete {node.type === CANVAS_TRIGGER_TYPE ? 'trigger' : 'step'}
          </button>
        </div>
      </fieldset>
    </aside>
  );
}

function Config(p: Props & { set: (patch: Data) => void }) {
  const { node, set } = p;
  const d = node.data;
  switch (node.type) {
    case CANVAS_TRIGGER_TYPE:
      return <TriggerConfig data={d} onChange={(data) => p.onChange({ ...data, label: d['label'] })} />;
    case 'wait':
      return <WaitConfig data={d} set={set} />;
    case 'branch':
      return <BranchConfig data={d} set={set} />;
    case 'random_split': {
      const variants = arr(d['variants']);
      return (
        <div className="jc-panel__section">
          {variants.map((v, i) => (
            <div key={i} className="jc-row">
              <TextField
                label={`Variant ${i + 1} name`}
                value={str(v['id'])}
                onChange={(id) => set({ variants: variants.map((x, j) => (j === i ? { ...x, id } : x)) })}
              />
              <NumberField
                label="Percent"
                value={num(v['percentage'])}
                min={0}
                max={100}
                onChange={(percentage) =>
                  set({ variants: variants.map((x, j) => (j === i ? { ...x, percentage } : x)) })
                }
              />
            </div>
          ))}
          <button
            type="button"
            className="btn btn--secondary btn--sm"
            onClick={() => set({ variants: [...variants, { id: `v${variants.length + 1}`, percentage: 0 }] })}
          >
            Add variant
          </button>
        </div>
      );
    }
    case 'holdout':
      return (
        <NumberField
          label="Control group (%)"
          value={num(d['percentage'])}
          min={1}
          max={50}
          onChange={(percentage) => set({ percentage })}
          hint="This share of prospects gets nothing from here on; their conversions measure the uplift."
        />
      );
    case 'goal':
      return (
        <MilestoneConfig
          label="Converts on"
          value={obj(d['conversion'])}
          onChange={(conversion) => set({ conversion })}
        />
      );
    case 'exit':
      return null;
    case 'send_email':
      return <EmailConfig {...p} set={set} />;
    case 'crm_task':
      return (
        <>
          <TextField
            label="Task subject"
            value={str(d['subject'])}
            onChange={(subject) => set({ subject })}
          />
          <TextField
            label="Notes"
            multiline
            value={str(d['notes'])}
            onChange={(notes) => set({ notes: notes || undefined })}
          />
          <NumberField
            label="Due in (days)"
            value={num(d['dueInDays'])}
            min={0}
            onChange={(dueInDays) => set({ dueInDays })}
          />
        </>
      );
    case 'crm_set_field':
      return (
        <>
          <TextField label="CRM field" mono value={str(d['field'])} onChange={(field) => set({ field })} />
          <TextField
            label="Value"
            value={d['value'] === null || d['value'] === undefined ? '' : String(d['value'])}
            onChange={(v) =>
              set({
                value:
                  v === ''
                    ? null
                    : v === 'true'
                      ? true
                      : v === 'false'
                        ? false
                        : /^-?\d+(\.\d+)?$/.test(v)
                          ? Number(v)
                          : v,
              })
            }
            hint="Leave empty to clear the field."
          />
        </>
      );
    case 'slack':
      return (
        <>
          <TextField
            label="Incoming-webhook URL"
            mono
            value={str(d['webhookUrl'])}
            onChange={(v) => set({ webhookUrl: v || undefined, channel: v ? undefined : d['channel'] })}
          />
          <TextField label="Message" multiline value={str(d['text'])} onChange={(text) => set({ text })} />
        </>
      );
    case 'webhook':
      return (
        <>
          <TextField label="URL" mono value={str(d['url'])} onChange={(url) => set({ url })} />
          <TextField
            label="Signing secret"
            mono
            value={str(d['secretRef'])}
            onChange={(v) => set({ secretRef: v || undefined })}
            hint="A workspace secret's name: the body is signed with HMAC-SHA256 (x-cairn-signature)."
          />
        </>
      );
    case 'segment_event':
      return (
        <>
          <TextField label="Event name" value={str(d['event'])} onChange={(event) => set({ event })} />
          <JsonField
            label="Properties"
            value={d['properties']}
            onChange={(properties) => set({ properties })}
          />
        </>
      );
    case 'enroll_journey':
      return (
        <SelectField
          label="Journey"
          value={str(d['journeyId'])}
          options={p.journeys.map((j) => ({ value: j.id, label: j.name }))}
          onChange={(journeyId) => set({ journeyId })}
        />
      );
    default:
      return null;
  }
}

const TRIGGER_KINDS = [
  { value: 'stage_transition', label: 'Stage changes' },
  { value: 'risk_crossing', label: 'Drop-off risk crosses a threshold' },
  { value: 'event', label: 'An event happens' },
  { value: 'crm_deal_stage', label: 'CRM deal stage changes' },
  { value: 'inactivity', label: 'No activity for a while' },
  { value: 'segment_entered', label: 'Enters a segment' },
] as const;

const TRIGGER_DEFAULTS: Record<string, Data> = {
  stage_transition: { kind: 'stage_transition', from: 'any', to: 'any' },
  risk_crossing: { kind: 'risk_crossing', threshold: 0.7, direction: 'up' },
  event: { kind: 'event', event: '', filters: [] },
  crm_deal_stage: { kind: 'crm_deal_stage', to: 'any' },
  inactivity: { kind: 'inactivity', days: 14 },
  segment_entered: {
    kind: 'segment_entered',
    match: 'all',
    conditions: [{ subject: 'trait', property: 'plan', op: 'eq', value: 'pro' }],
  },
};

function TriggerConfig({ data, onChange }: { data: Data; onChange: (d: Data) => void }) {
  const set = (patch: Data) => onChange({ ...data, ...patch });
  return (
    <>
      <SelectField
        label="Starts when"
        value={str(data['kind'])}
        options={[...TRIGGER_KINDS]}
        onChange={(kind) => onChange(TRIGGER_DEFAULTS[kind] ?? { kind })}
      />
      {data['kind'] === 'stage_transition' ? (
        <>
          <SelectField
            label="From stage"
            value={str(data['from'])}
            options={stageOptions}
            onChange={(from) => set({ from })}
          />
          <SelectField
            label="To stage"
            value={str(data['to'])}
            options={stageOptions}
            onChange={(to) => set({ to })}
          />
        </>
      ) : null}
      {data['kind'] === 'risk_crossing' ? (
        <>
          <NumberField
            label="Threshold (%)"
            value={Math.round(num(data['threshold']) * 100)}
            min={1}
            max={99}
            onChange={(v) => set({ threshold: v / 100 })}
          />
          <SelectField
            label="Direction"
            value={str(data['direction'])}
            options={[
              { value: 'up', label: 'Rises to or above' },
              { value: 'down', label: 'Falls below' },
            ]}
            onChange={(direction) => set({ direction })}
          />
        </>
      ) : null}
      {data['kind'] === 'event' ? (
        <>
          <TextField label="Event name" value={str(data['event'])} onChange={(event) => set({ event })} />
          <JsonField
            label="Property filters"
            value={data['filters']}
            onChange={(filters) => set({ filters })}
          />
        </>
      ) : null}
      {data['kind'] === 'crm_deal_stage' ? (
        <>
          <TextField
            label="To deal stage"
            value={str(data['to'])}
            onChange={(to) => set({ to })}
            hint='"any" matches every stage.'
          />
          <TextField
            label="From deal stage"
            value={str(data['from'])}
            onChange={(from) => set({ from: from || undefined })}
          />
        </>
      ) : null}
      {data['kind'] === 'inactivity' ? (
        <NumberField
          label="Days without activity"
          value={num(data['days'])}
          min={1}
          onChange={(days) => set({ days })}
        />
      ) : null}
      {data['kind'] === 'segment_entered' ? (
        <ConditionsConfig
          match={str(data['match'])}
          conditions={arr(data['conditions'])}
          onChange={(patch) => set(patch)}
        />
      ) : null}
    </>
  );
}

function WaitConfig({ data, set }: { data: Data; set: (patch: Data) => void }) {
  const mode = str(data['mode']);
  const keep = (patch: Data) =>
    set({
      durationMs: undefined,
      startHour: undefined,
      endHour: undefined,
      days: undefined,
      timezone: undefined,
      until: undefined,
      timeoutMs: undefined,
      ...patch,
    });
  return (
    <>
      <SelectField
        label="Wait"
        value={mode}
        options={[
          { value: 'duration', label: 'For a while' },
          { value: 'window', label: 'Until a local-time window' },
          { value: 'until', label: 'Until something happens' },
        ]}
        onChange={(m) =>
          keep(
            m === 'duration'
              ? { mode: m, durationMs: 86_400_000 }
              : m === 'window'
                ? {
                    mode: m,
                    startHour: 9,
                    endHour: 17,
                    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
                    timezone: { source: 'trait', trait: 'timezone', fallback: 'Europe/Berlin' },
                  }
                : { mode: m, until: { type: 'event', event: '', filters: [] }, timeoutMs: 3 * 86_400_000 },
          )
        }
      />
      {mode === 'duration' ? (
        <DurationField
          label="Duration"
          ms={num(data['durationMs'])}
          onChange={(durationMs) => set({ durationMs })}
        />
      ) : null}
      {mode === 'window' ? (
        <>
          <div className="jc-row">
            <NumberField
              label="From hour"
              value={num(data['startHour'])}
              min={0}
              max={23}
              onChange={(startHour) => set({ startHour })}
            />
            <NumberField
              label="To hour"
              value={num(data['endHour'])}
              min={0}
              max={23}
              onChange={(endHour) => set({ endHour })}
            />
          </div>
          <fieldset className="jc-days">
            <legend className="field__label">Days</legend>
            {WEEKDAYS.map((day) => {
              const days = Array.isArray(data['days']) ? (data['days'] as string[]) : [];
              return (
                <label key={day} className="checkbox">
                  <input
                    type="checkbox"
                    checked={days.includes(day)}
                    onChange={(e) =>
                      set({
                        days: e.target.checked
                          ? WEEKDAYS.filter((w) => w === day || days.includes(w))
                          : days.filter((x) => x !== day),
                      })
                    }
                  />
                  {day}
                </label>
              );
            })}
          </fieldset>
          <TextField
            label="Time zone (fallback)"
            value={str(obj(data['timezone'])['fallback'] ?? obj(data['timezone'])['zone'])}
            onChange={(zone) => set({ timezone: { source: 'trait', trait: 'timezone', fallback: zone } })}
            hint="The prospect's own zone (trait “timezone”) when known, else this one."
          />
        </>
      ) : null}
      {mode === 'until' ? (
        <>
          <MilestoneConfig label="Until" value={obj(data['until'])} onChange={(until) => set({ until })} />
          <DurationField
            label="At most"
            ms={num(data['timeoutMs'])}
            onChange={(timeoutMs) => set({ timeoutMs })}
            hint="Then the “Timed out” output is taken."
          />
        </>
      ) : null}
    </>
  );
}

function MilestoneConfig({
  label,
  value,
  onChange,
}: {
  label: string;
  value: Data;
  onChange: (v: Data) => void;
}) {
  return (
    <>
      <SelectField
        label={label}
        value={str(value['type'])}
        options={[
          { value: 'event', label: 'An event' },
          { value: 'stage', label: 'A stage is reached' },
        ]}
        onChange={(type) =>
          onChange(type === 'stage' ? { type, stage: 'purchase_intent' } : { type, event: '', filters: [] })
        }
      />
      {value['type'] === 'stage' ? (
        <SelectField
          label="Stage"
          value={str(value['stage'])}
          options={concreteStages}
          onChange={(stage) => onChange({ ...value, stage })}
        />
      ) : (
        <TextField
          label="Event name"
          value={str(value['event'])}
          onChange={(event) => onChange({ ...value, event })}
        />
      )}
    </>
  );
}

const OPS: Record<string, { value: string; label: string }[]> = {
  risk: [
    { value: 'gte', label: 'at least' },
    { value: 'gt', label: 'above' },
    { value: 'lte', label: 'at most' },
    { value: 'lt', label: 'below' },
  ],
  stage: [
    { value: 'eq', label: 'is' },
    { value: 'neq', label: 'is not' },
  ],
  trait: [
    { value: 'eq', label: 'equals' },
    { value: 'neq', label: 'differs from' },
    { value: 'contains', label: 'contains' },
    { value: 'gt', label: '>' },
    { value: 'gte', label: '≥' },
    { value: 'lt', label: '<' },
    { value: 'lte', label: '≤' },
    { value: 'exists', label: 'is set' },
  ],
};

function ConditionsConfig({
  match,
  conditions,
  onChange,
}: {
  match: string;
  conditions: Data[];
  onChange: (patch: { match?: string; conditions?: Data[] }) => void;
}) {
  const edit = (i: number, c: Data) => onChange({ conditions: conditions.map((x, j) => (j === i ? c : x)) });
  return (
    <div className="jc-conditions">
      <SelectField
        label="Match"
        value={match}
        options={[
          { value: 'all', label: 'All conditions' },
          { value: 'any', label: 'Any condition' },
        ]}
        onChange={(m) => onChange({ match: m })}
      />
      {conditions.map((c, i) => {
        const subject = str(c['subject']);
        const ops = OPS[subject === 'account' ? 'trait' : subject] ?? OPS['trait']!;
        return (
          <div key={i} className="jc-condition">
            <SelectField
              label={`Condition ${i + 1}`}
              value={subject}
              options={[
                { value: 'risk', label: 'Drop-off risk' },
                { value: 'stage', label: 'Stage' },
                { value: 'trait', label: 'Trait' },
                { value: 'account', label: 'Account property' },
              ]}
              onChange={(s) =>
                edit(
                  i,
                  s === 'risk'
                    ? { subject: s, op: 'gte', value: 0.7 }
                    : s === 'stage'
                      ? { subject: s, op: 'eq', value: 'evaluation' }
                      : { subject: s, property: '', op: 'eq', value: '' },
                )
              }
            />
            {subject === 'trait' || subject === 'account' ? (
              <TextField
                label="Property"
                value={str(c['property'])}
                onChange={(property) => edit(i, { ...c, property })}
              />
            ) : null}
            <SelectField
              label="Test"
              value={str(c['op'])}
              options={ops}
              onChange={(op) => edit(i, { ...c, op, ...(op === 'exists' ? { value: undefined } : {}) })}
            />
            {subject === 'risk' ? (
              <NumberField
                label="Risk (%)"
                value={Math.round(num(c['value']) * 100)}
                min={0}
                max={100}
                onChange={(v) => edit(i, { ...c, value: v / 100 })}
              />
            ) : subject === 'stage' ? (
              <SelectField
                label="Stage"
                value={str(c['value'])}
                options={concreteStages}
                onChange={(value) => edit(i, { ...c, value })}
              />
            ) : c['op'] !== 'exists' ? (
              <TextField
                label="Value"
                value={c['value'] === undefined ? '' : String(c['value'])}
                onChange={(v) =>
                  edit(i, {
                    ...c,
                    value: ['gt', 'gte', 'lt', 'lte'].includes(str(c['op'])) && v !== '' ? Number(v) : v,
                  })
                }
              />
            ) : null}
            <button
              type="button"
              className="btn btn--ghost btn--sm"
              onClick={() => onChange({ conditions: conditions.filter((_, j) => j !== i) })}
            >
              Remove condition
            </button>
          </div>
        );
      })}
      <button
        type="button"
        className="btn btn--secondary btn--sm"
        onClick={() => onChange({ conditions: [...conditions, { subject: 'risk', op: 'gte', value: 0.5 }] })}
      >
        Add condition
      </button>
    </div>
  );
}

function BranchConfig({ data, set }: { data: Data; set: (patch: Data) => void }) {
  const paths = arr(data['paths']);
  const edit = (i: number, patch: Data) =>
    set({ paths: paths.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
  return (
    <div className="jc-panel__section">
      {paths.map((path, i) => (
        <div key={i} className="jc-path">
          <h3 className="jc-panel__subtitle">Path {i + 1}</h3>
          <div className="jc-row">
            <TextField label="Path name" mono value={str(path['id'])} onChange={(id) => edit(i, { id })} />
            <TextField
              label="Path label"
              value={str(path['label'])}
              onChange={(label) => edit(i, { label: label || undefined })}
            />
          </div>
          <ConditionsConfig
            match={str(path['match'])}
            conditions={arr(path['conditions'])}
            onChange={(patch) => edit(i, patch)}
          />
          {paths.length > 1 ? (
            <button
              type="button"
              className="btn btn--ghost btn--sm"
              onClick={() => set({ paths: paths.filter((_, j) => j !== i) })}
            >
              Remove path
            </button>
          ) : null}
        </div>
      ))}
      <button
        type="button"
        className="btn btn--secondary btn--sm"
        onClick={() =>
          set({
            paths: [
              ...paths,
              {
                id: `path-${paths.length + 1}`,
                match: 'all',
                conditions: [{ subject: 'stage', op: 'eq', value: 'evaluation' }],
              },
            ],
          })
        }
      >
        Add path
      </button>
      <p className="field__hint">
        Prospects take the first path whose conditions hold; everyone else takes “Else”.
      </p>
    </div>
  );
}

function EmailConfig(p: Props & { set: (patch: Data) => void }) {
  const content = obj(p.node.data['content']);
  const source = str(content['source']);
  return (
    <>
      <SelectField
        label="Content"
        value={source}
        options={[
          { value: 'inline', label: 'Written here' },
          { value: 'template', label: 'From a template' },
        ]}
        onChange={(s) =>
          p.set({
            content:
              s === 'template'
                ? { source: s, templateId: p.templates[0]?.id ?? '' }
                : { source: s, subject: 'Hi {{first_name}}', body: '<p>Hi {{first_name}},</p>' },
          })
        }
      />
      {source === 'template' ? (
        <SelectField
          label="Template"
          value={str(content['templateId'])}
          options={p.templates.map((t) => ({ value: t.id, label: t.name }))}
          onChange={(templateId) => p.set({ content: { ...content, templateId } })}
          hint={
            <a href={p.templatesHref} target="_blank" rel="noreferrer">
              Manage templates
            </a>
          }
        />
      ) : (
        <>
          <TextField
            label="Subject"
            value={str(content['subject'])}
            onChange={(subject) => p.set({ content: { ...content, subject } })}
          />
          <TextField
            label="Body (HTML)"
            multiline
            mono
            value={str(content['body'])}
            onChange={(body) => p.set({ content: { ...content, body } })}
            hint="Merge fields: {{first_name}}, {{email}}, {{account.name}}, any trait."
          />
        </>
      )}
    </>
  );
}
