'use client';

import { useTransition, type FormEvent } from 'react';
import { usePathname, useRouter } from 'next/navigation';
import { useHydrated } from '@/lib/useHydrated';
import styles from './insights.module.css';

export interface FilterOption {
  value: string;
  people: number;
}

export interface ExtraControl {
  name: string;
  label: string;
  options: { value: string; label: string }[];
}

interface Props {
  query: Record<string, string>;
  options: {
    channel: FilterOption[];
    companySize: FilterOption[];
    plan: FilterOption[];
    region: FilterOption[];
  };
  controls?: ExtraControl[];
}

const SEGMENTS = [
  { name: 'channel', label: 'First touch' },
  { name: 'companySize', label: 'Company size' },
  { name: 'plan', label: 'Plan' },
  { name: 'region', label: 'Region' },
] as const;

const INACTIVE = ['14', '30', '60', '90'];

/**
 * Date range, segment filters and the view's own controls (split, path kind…). Changes go into the URL, so the
 * page is rendered by the server and can be shared; without JavaScript the form submits the same query.
 */
export function InsightsFilters({ query, options, controls = [] }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const hydrated = useHydrated();
  const [pending, startTransition] = useTransition();

  function apply(next: Record<string, string>) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v) params.set(k, v);
    const qs = params.toString();
    startTransition(() => router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false }));
  }
  const set = (name: string, value: string) => apply({ ...query, [name]: value });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    apply(Object.fromEntries([...data.entries()].map(([k, v]) => [k, String(v)])));
  }
  const active = Object.keys(query).some((k) => !controls.some((c) => c.name === k));

  return (
    <form
      className={styles.filters}
      method="get"
      action={pathname}
      onSubmit={onSubmit}
      aria-label="Filters"
      aria-busy={pending}
      data-testid="insights-filters"
    >
      <div className={styles.field}>
        <label htmlFor="f-from">First seen from</label>
        <input
          id="f-from"
          className="input input--compact"
          type="date"
          name="from"
          defaultValue={query['from'] ?? ''}
          onChange={(e) => set('from', e.target.value)}
        />
      </div>
      <div className={styles.field}>
        <label htmlFor="f-to">to</label>
        <input
          id="f-to"
          className="input input--compact"
          type="date"
          name="to"
          defaultValue={query['to'] ?? ''}
          onChange={(e) => set('to', e.target.value)}
        />
      </div>
      {SEGMENTS.map((s) => (
        <div key={s.name} className={styles.field}>
          <label htmlFor={`f-${s.name}`}>{s.label}</label>
          <select
            id={`f-${s.name}`}
            className="select select--compact"
            name={s.name}
            value={query[s.name] ?? ''}
            onChange={(e) => set(s.name, e.target.value)}
          >
            <option value="">All</option>
            {options[s.name].slice(0, 50).map((o) => (
              <option key={o.value} value={o.value}>
                {o.value} ({o.people.toLocaleString('en-US')})
              </option>
            ))}
            {query[s.name] && !options[s.name].some((o) => o.value === query[s.name]) ? (
              <option value={query[s.name]}>{query[s.name]}</option>
            ) : null}
          </select>
        </div>
      ))}
      <div className={styles.field}>
        <label htmlFor="f-inactive">Dropped off after</label>
        <select
          id="f-inactive"
          className="select select--compact"
          name="inactiveDays"
          value={query['inactiveDays'] ?? '30'}
          onChange={(e) => set('inactiveDays', e.target.value === '30' ? '' : e.target.value)}
        >
          {INACTIVE.map((d) => (
            <option key={d} value={d}>
              {d} quiet days
            </option>
          ))}
        </select>
      </div>
      {controls.map((c) => (
        <div key={c.name} className={styles.field}>
          <label htmlFor={`f-${c.name}`}>{c.label}</label>
          <select
            id={`f-${c.name}`}
            className="select select--compact"
            name={c.name}
            value={query[c.name] ?? c.options[0]?.value ?? ''}
            onChange={(e) => set(c.name, e.target.value)}
            data-testid={`insights-control-${c.name}`}
          >
            {c.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      ))}
      <div className={styles.filterActions}>
        {hydrated ? null : (
          <button type="submit" className="btn btn--secondary btn--sm">
            Apply
          </button>
        )}
        {active ? (
          <button
            type="button"
            className="btn btn--ghost btn--sm"
            onClick={() =>
              apply(
                Object.fromEntries(
                  controls.flatMap((c) => (query[c.name] ? [[c.name, query[c.name]!]] : [])),
                ),
              )
            }
            disabled={!hydrated}
          >
            Clear filters
          </button>
        ) : null}
        {pending ? (
          <span className="muted small" role="status">
            Updating…
          </span>
        ) : null}
      </div>
    </form>
  );
}
