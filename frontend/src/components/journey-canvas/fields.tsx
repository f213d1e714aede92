'use client';

import { useId, useState, type ReactNode } from 'react';

/** Small labelled inputs for the side panel; each reports a parsed value. */

export function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: ReactNode;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className="field jc-field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children(id)}
      {hint ? <p className="field__hint">{hint}</p> : null}
    </div>
  );
}

export function TextField({
  label,
  value,
  onChange,
  placeholder,
  hint,
  multiline,
  mono,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
  hint?: ReactNode;
  multiline?: boolean;
  mono?: boolean;
}) {
  return (
    <Field label={label} hint={hint}>
      {(id) =>
        multiline ? (
          <textarea
            id={id}
            className={`input jc-textarea${mono ? ' input--mono' : ''}`}
            value={value}
            placeholder={placeholder}
            rows={6}
            onChange={(e) => onChange(e.target.value)}
          />
        ) : (
          <input
            id={id}
            className={`input${mono ? ' input--mono' : ''}`}
            value={value}
            placeholder={placeholder}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </Field>
  );
}

export function NumberField({
  label,
  value,
  onChange,
  min,
  max,
  step,
  hint,
}: {
  label: string;
  value: number | null | undefined;
  onChange: (v: number) => void;
  min?: number;
  max?: number;
  step?: number;
  hint?: ReactNode;
}) {
  return (
    <Field label={label} hint={hint}>
      {(id) => (
        <input
          id={id}
          type="number"
          className="input"
          value={value ?? ''}
          min={min}
          max={max}
          step={step}
          onChange={(e) => onChange(e.target.value === '' ? NaN : Number(e.target.value))}
        />
      )}
    </Field>
  );
}

export function SelectField<T extends string>({
  label,
  value,
  options,
  onChange,
  hint,
}: {
  label: string;
  value: T | string;
  options: { value: T; label: string }[];
  onChange: (v: T) => void;
  hint?: ReactNode;
}) {
  const known = options.some((o) => o.value === value);
  return (
    <Field label={label} hint={hint}>
      {(id) => (
        <select id={id} className="select" value={value} onChange={(e) => onChange(e.target.value as T)}>
          {!known ? <option value={value}>{value || 'Choose…'}</option> : null}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

const UNITS = [
  { value: 'seconds', label: 'seconds', ms: 1_000 },
  { value: 'minutes', label: 'minutes', ms: 60_000 },
  { value: 'hours', label: 'hours', ms: 3_600_000 },
  { value: 'days', label: 'days', ms: 86_400_000 },
] as const;

function unitOf(ms: number) {
  return [...UNITS].reverse().find((u) => ms > 0 && ms % u.ms === 0) ?? UNITS[0];
}

/** A duration as a number and a unit, stored in milliseconds. */
export function DurationField({
  label,
  ms,
  onChange,
  hint,
}: {
  label: string;
  ms: number;
  onChange: (ms: number) => void;
  hint?: ReactNode;
}) {
  const [unit, setUnit] = useState<(typeof UNITS)[number]>(() => unitOf(ms));
  const amount = Number.isFinite(ms) ? ms / unit.ms : NaN;
  return (
    <Field label={label} hint={hint}>
      {(id) => (
        <div className="jc-duration">
          <input
            id={id}
            type="number"
            min={0}
            className="input"
            value={Number.isFinite(amount) ? String(Math.round(amount * 1000) / 1000) : ''}
            onChange={(e) =>
              onChange(e.target.value === '' ? NaN : Math.round(Number(e.target.value) * unit.ms))
            }
          />
          <select
            className="select"
            aria-label={`${label} unit`}
            value={unit.value}
            onChange={(e) => {
              const next = UNITS.find((u) => u.value === e.target.value) ?? UNITS[0];
              setUnit(next);
              if (Number.isFinite(amount)) onChange(Math.round(amount * next.ms));
            }}
          >
            {UNITS.map((u) => (
              <option key={u.value} value={u.value}>
                {u.label}
              </option>
            ))}
          </select>
        </div>
      )}
    </Field>
  );
}

/** JSON edited as text; shows a parse error instead of losing the edit. */
export function JsonField({
  label,
  value,
  onChange,
  hint,
}: {
  label: string;
  value: unknown;
  onChange: (v: unknown) => void;
  hint?: ReactNode;
}) {
  const [text, setText] = useState(() => JSON.stringify(value ?? {}, null, 2));
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <Field label={label} hint={problem ? <span className="field__hint--error">{problem}</span> : hint}>
      {(id) => (
        <textarea
          id={id}
          className="input input--mono jc-textarea"
          rows={6}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            try {
              onChange(JSON.parse(e.target.value));
              setProblem(null);
            } catch (err) {
              setProblem(`Not valid JSON yet: ${(err as Error).message}`);
            }
          }}
        />
      )}
    </Field>
  );
}
