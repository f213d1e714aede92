'use client';

import { defaultJourneySettings, type ValidationError } from '@cairn/workflows';
import { NumberField, SelectField, TextField } from './fields';
import type { Data } from './catalog';

export interface HoldoutStats {
  treatment: { enrolled: number; converted: number; rate: number | null };
  control: { enrolled: number; converted: number; rate: number | null };
  uplift: { estimate: number; lower: number; upper: number } | null;
  confidence: number;
}

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
const pts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;

/** With nothing selected: the journey's settings, and how it is doing. */
export function SettingsPanel({
  settings,
  onChange,
  errors,
  readOnly,
  totals,
  holdout,
}: {
  settings: Data | undefined;
  onChange: (s: Data) => void;
  errors: ValidationError[];
  readOnly: boolean;
  totals: { enrolled: number; inside: number; converted: number } | null;
  holdout: HoldoutStats | null;
}) {
  const s = { ...(defaultJourneySettings as unknown as Data), ...settings };
  const entry = (s['entry'] ?? { policy: 'once' }) as Data;
  const quiet = s['quietHours'] as Data | null;
  const set = (patch: Data) => onChange({ ...s, ...patch });
  return (
    <aside className="jc-panel" aria-label="Journey settings" data-testid="settings-panel">
      <header className="jc-panel__head">
        <div>
          <h2 className="jc-panel__title">Journey</h2>
          <p className="muted small">Select a step to configure it, or drag one in from the palette.</p>
        </div>
      </header>
      {totals ? (
        <section className="jc-panel__section" aria-label="Results" data-testid="journey-results">
          <h3 className="jc-panel__subtitle">Results</h3>
          <dl className="jc-facts">
            <dt>Entered</dt>
            <dd data-testid="total-enrolled">{totals.enrolled}</dd>
            <dt>Inside now</dt>
            <dd data-testid="total-inside">{totals.inside}</dd>
            <dt>Converted</dt>
            <dd data-testid="total-converted">{totals.converted}</dd>
          </dl>
          {holdout && holdout.control.enrolled + holdout.treatment.enrolled > 0 ? (
            <div className="jc-holdout" data-testid="holdout">
              <p>
                Treatment {pct(holdout.treatment.rate)} ({holdout.treatment.converted}/
                {holdout.treatment.enrolled}) vs holdout {pct(holdout.control.rate)} (
                {holdout.control.converted}/{holdout.control.enrolled})
              </p>
              {holdout.uplift ? (
                <p className="small">
                  Uplift {pts(holdout.uplift.estimate)}, {Math.round(holdout.confidence * 100)}% interval{' '}
                  {pts(holdout.uplift.lower)} to {pts(holdout.uplift.upper)}
                  {holdout.uplift.lower > 0
                    ? ' — the journey helps.'
                    : holdout.uplift.upper < 0
                      ? ' — the journey hurts.'
                      : ' — not distinguishable from no effect yet.'}
                </p>
              ) : (
                <p className="small muted">The uplift shows once both groups have people.</p>
              )}
            </div>
          ) : null}
        </section>
      ) : null}
      {errors.length ? (
        <ul className="jc-panel__errors" role="alert">
          {errors.map((e, i) => (
            <li key={i}>{e.message}</li>
          ))}
        </ul>
      ) : null}
      <fieldset className="jc-panel__body" disabled={readOnly}>
        <SelectField
          label="Entry"
          value={String(entry['policy'])}
          options={[
            { value: 'once', label: 'Once per prospect' },
            { value: 're_entry', label: 'Again after some days' },
          ]}
          onChange={(policy) => set({ entry: policy === 'once' ? { policy } : { policy, afterDays: 30 } })}
        />
        {entry['policy'] === 're_entry' ? (
          <NumberField
            label="Re-entry after (days)"
            value={Number(entry['afterDays'])}
            min={1}
            onChange={(afterDays) => set({ entry: { policy: 're_entry', afterDays } })}
          />
        ) : null}
        <NumberField
          label="Emails per prospect per week (cap)"
          value={(s['maxSendsPerWeek'] as number | null) ?? undefined}
          min={1}
          onChange={(n) => set({ maxSendsPerWeek: Number.isFinite(n) ? n : null })}
          hint="Empty: no cap."
        />
        <SelectField
          label="Quiet hours"
          value={quiet ? 'on' : 'off'}
          options={[
            { value: 'off', label: 'None' },
            { value: 'on', label: 'Hold emails at night' },
          ]}
          onChange={(v) =>
            set({
              quietHours:
                v === 'on'
                  ? {
                      startHour: 21,
                      endHour: 8,
                      timezone: { source: 'trait', trait: 'timezone', fallback: 'UTC' },
                    }
                  : null,
            })
          }
        />
        {quiet ? (
          <>
            <div className="jc-row">
              <NumberField
                label="Quiet from hour"
                value={Number(quiet['startHour'])}
                min={0}
                max={23}
                onChange={(startHour) => set({ quietHours: { ...quiet, startHour } })}
              />
              <NumberField
                label="Until hour"
                value={Number(quiet['endHour'])}
                min={0}
                max={23}
                onChange={(endHour) => set({ quietHours: { ...quiet, endHour } })}
              />
            </div>
            <TextField
              label="Quiet-hours time zone (fallback)"
              value={String((quiet['timezone'] as Data | undefined)?.['fallback'] ?? 'UTC')}
              onChange={(fallback) =>
                set({ quietHours: { ...quiet, timezone: { source: 'trait', trait: 'timezone', fallback } } })
              }
            />
          </>
        ) : null}
        <NumberField
          label="Workspace send rate (emails per minute)"
          value={(s['sendRatePerMinute'] as number | null) ?? undefined}
          min={1}
          onChange={(n) => set({ sendRatePerMinute: Number.isFinite(n) ? n : null })}
          hint="Empty: no limit."
        />
      </fieldset>
    </aside>
  );
}
