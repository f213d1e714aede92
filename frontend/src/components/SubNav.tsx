'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export interface SubNavItem {
  href: string;
  label: string;
  testId?: string;
}

/** Page-level navigation between the views of one section (links styled as tabs). */
export function SubNav({ items, label }: { items: SubNavItem[]; label: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="subnav">
      <ul>
        {items.map((item) => (
          <li key={item.href}>
            <Link
              href={item.href}
              className="subnav__link"
              aria-current={pathname === item.href ? 'page' : undefined}
              data-testid={item.testId}
            >
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
