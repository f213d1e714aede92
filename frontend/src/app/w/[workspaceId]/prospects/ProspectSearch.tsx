'use client';

import { useEffect, useRef, useState, useTransition, type FormEvent } from 'react';
import { usePathname, useRouter } from 'next/navigation';
import { Icon } from '@/components/Icon';

/**
 * Search by email, user ID or name. Typing updates `?q=` (debounced) so the list is rendered by
 * the server and the URL can be shared; without JavaScript the form submits the same query.
 */
export function ProspectSearch({ initialQuery }: { initialQuery: string }) {
  const [value, setValue] = useState(initialQuery);
  const [pending, startTransition] = useTransition();
  const router = useRouter();
  const pathname = usePathname();
  const timer = useRef<number | undefined>(undefined);
  const last = useRef(initialQuery);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  function go(q: string) {
    const trimmed = q.trim();
    if (trimmed === last.current) return;
    last.current = trimmed;
    startTransition(() => {
      router.replace(trimmed ? `${pathname}?q=${encodeURIComponent(trimmed)}` : pathname, { scroll: false });
    });
  }

  function onChange(next: string) {
    setValue(next);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => go(next), 300);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    window.clearTimeout(timer.current);
    go(value);
  }

  return (
    <form role="search" className="search" onSubmit={onSubmit} action={pathname} method="get">
      <label htmlFor="prospect-search" className="visually-hidden">
        Search prospects
      </label>
      <Icon name="search" size={16} className="search__icon" />
      <input
        id="prospect-search"
        className="input search__input"
        type="search"
        name="q"
        placeholder="Email, user ID or name"
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-busy={pending}
        data-testid="prospect-search"
      />
      {pending ? (
        <span className="search__pending" role="status">
          Searching…
        </span>
      ) : null}
    </form>
  );
}
