'use client';

import { useTransition } from 'react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { SORTS } from './sorts';

/** Sort order of the prospect list, kept in `?sort=` next to the search. */
export function ProspectSort({ sort }: { sort: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  return (
    <form method="get" action={pathname} className="inline-form" aria-busy={pending}>
      {params.get('q') ? <input type="hidden" name="q" value={params.get('q') ?? ''} /> : null}
      <label htmlFor="prospect-sort" className="muted small">
        Sort by
      </label>{' '}
      <select
        id="prospect-sort"
        name="sort"
        className="select select--compact"
        value={sort}
        data-testid="prospect-sort"
        onChange={(e) => {
          const next = new URLSearchParams(params.toString());
          if (e.target.value === 'recent') next.delete('sort');
          else next.set('sort', e.target.value);
          const qs = next.toString();
          startTransition(() => router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false }));
        }}
      >
        {SORTS.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </select>
    </form>
  );
}
