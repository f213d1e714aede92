'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const ITEMS = [
  { view: '', label: 'Overview' },
  { view: 'funnel', label: 'Funnel' },
  { view: 'paths', label: 'Paths' },
  { view: 'moments', label: 'Moments that matter' },
  { view: 'attribution', label: 'Attribution' },
  { view: 'dropoff', label: 'Time to drop-off' },
  { view: 'changes', label: 'What changed' },
];

/** Tabs between the insights views; the links keep the filters of the query string. */
export function InsightsNav({ workspaceId, query }: { workspaceId: string; query: Record<string, string> }) {
  const pathname = usePathname();
  const base = `/w/${encodeURIComponent(workspaceId)}/insights`;
  const qs = new URLSearchParams(query).toString();
  return (
    <nav aria-label="Insights" className="subnav">
      <ul>
        {ITEMS.map((item) => {
          const path = `${base}${item.view ? `/${item.view}` : ''}`;
          return (
            <li key={item.view}>
              <Link
                href={`${path}${qs ? `?${qs}` : ''}`}
                className="subnav__link"
                aria-current={pathname === path ? 'page' : undefined}
                data-testid={`insights-tab-${item.view || 'overview'}`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
