import type { SVGProps } from 'react';

const PATHS = {
  journeys: (
    <>
      <circle cx="6" cy="19" r="2.25" />
      <circle cx="18" cy="5" r="2.25" />
      <path d="M8.5 19h8a3.5 3.5 0 0 0 0-7h-9a3.5 3.5 0 0 1 0-7h8" />
    </>
  ),
  insights: (
    <>
      <path d="M3.5 3.5v17h17" />
      <path d="M8 16v-4" />
      <path d="M12.5 16V7.5" />
      <path d="M17 16v-6.5" />
    </>
  ),
  prospects: (
    <>
      <circle cx="9" cy="8" r="3.75" />
      <path d="M2.5 20.5v-.75a6.5 6.5 0 0 1 13 0v.75" />
      <path d="M16 4.4a3.75 3.75 0 0 1 0 7.2" />
      <path d="M21.5 20.5v-.75a6.5 6.5 0 0 0-3.6-5.8" />
    </>
  ),
  connections: (
    <>
      <path d="M9 2.5v5" />
      <path d="M15 2.5v5" />
      <path d="M6 7.5h12v3.5a6 6 0 0 1-12 0z" />
      <path d="M12 17v4.5" />
    </>
  ),
  settings: (
    <>
      <path d="M4 21v-7" />
      <path d="M4 10V3" />
      <path d="M12 21v-9" />
      <path d="M12 8V3" />
      <path d="M20 21v-5" />
      <path d="M20 12V3" />
      <path d="M1.5 14h5" />
      <path d="M9.5 8h5" />
      <path d="M17.5 16h5" />
    </>
  ),
  lock: (
    <>
      <rect x="4.5" y="10.5" width="15" height="10.5" rx="2.25" />
      <path d="M8 10.5V7a4 4 0 0 1 8 0v3.5" />
    </>
  ),
  signOut: (
    <>
      <path d="M9 21H5.5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2H9" />
      <path d="M16 17l5-5-5-5" />
      <path d="M21 12H9" />
    </>
  ),
  copy: (
    <>
      <rect x="9" y="9" width="12" height="12" rx="2" />
      <path d="M5 15H4.5a1.5 1.5 0 0 1-1.5-1.5v-9A1.5 1.5 0 0 1 4.5 3h9A1.5 1.5 0 0 1 15 4.5V5" />
    </>
  ),
  check: <path d="M4.5 12.5l5 5 10-11" />,
  users: (
    <>
      <circle cx="9" cy="8" r="3.75" />
      <path d="M2.5 20.5v-.75a6.5 6.5 0 0 1 13 0v.75" />
      <path d="M19 8v6" />
      <path d="M22 11h-6" />
    </>
  ),
  building: (
    <>
      <rect x="4" y="3" width="16" height="18" rx="2" />
      <path d="M9 7.5h1.5M13.5 7.5H15M9 11.5h1.5M13.5 11.5H15M10 21v-4.5h4V21" />
    </>
  ),
  layers: (
    <>
      <path d="M12 3l9 5-9 5-9-5z" />
      <path d="M3 13l9 5 9-5" />
    </>
  ),
  fields: (
    <>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <path d="M3 9.5h18M9 9.5V20" />
    </>
  ),
  shield: (
    <>
      <path d="M12 3l7.5 3v5.5c0 4.6-3.2 8.2-7.5 9.5-4.3-1.3-7.5-4.9-7.5-9.5V6z" />
      <path d="M9 12l2.2 2.2L15.5 10" />
    </>
  ),
  alert: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7.5v5.5" />
      <path d="M12 16.25v.25" />
    </>
  ),
  chevronRight: <path d="M9.5 6l6 6-6 6" />,
  chevronDown: <path d="M6 9.5l6 6 6-6" />,
  mail: (
    <>
      <rect x="3" y="5" width="18" height="14" rx="2" />
      <path d="M3.5 6.5l8.5 6.5 8.5-6.5" />
    </>
  ),
  arrowRight: (
    <>
      <path d="M4.5 12h15" />
      <path d="M13.5 6l6 6-6 6" />
    </>
  ),
  search: (
    <>
      <circle cx="11" cy="11" r="6.5" />
      <path d="M16 16l4.5 4.5" />
    </>
  ),
  plus: (
    <>
      <path d="M12 5v14" />
      <path d="M5 12h14" />
    </>
  ),
  key: (
    <>
      <circle cx="8" cy="15" r="4.25" />
      <path d="M11 12l8.5-8.5" />
      <path d="M16.5 6.5l2.5 2.5" />
      <path d="M14 9l2 2" />
    </>
  ),
  refresh: (
    <>
      <path d="M20 11.5a8 8 0 0 0-14.6-4.1L4 9" />
      <path d="M4 4.5V9h4.5" />
      <path d="M4 12.5a8 8 0 0 0 14.6 4.1L20 15" />
      <path d="M20 19.5V15h-4.5" />
    </>
  ),
  pause: (
    <>
      <path d="M9 5.5v13" />
      <path d="M15 5.5v13" />
    </>
  ),
  play: <path d="M7.5 5.2v13.6a.6.6 0 0 0 .9.5l10.7-6.8a.6.6 0 0 0 0-1L8.4 4.7a.6.6 0 0 0-.9.5z" />,
  trash: (
    <>
      <path d="M4 6.5h16" />
      <path d="M9.5 6.5V4.5h5v2" />
      <path d="M6 6.5l1 13.5h10l1-13.5" />
    </>
  ),
  arrowUp: (
    <>
      <path d="M12 19.5v-15" />
      <path d="M6 10.5l6-6 6 6" />
    </>
  ),
  arrowDown: (
    <>
      <path d="M12 4.5v15" />
      <path d="M6 13.5l6 6 6-6" />
    </>
  ),
  eye: (
    <>
      <path d="M2.5 12s3.5-6.5 9.5-6.5 9.5 6.5 9.5 6.5-3.5 6.5-9.5 6.5S2.5 12 2.5 12z" />
      <circle cx="12" cy="12" r="2.75" />
    </>
  ),
  activity: <path d="M3 12h4l3-7.5 4 15 3-7.5h4" />,
  tag: (
    <>
      <path d="M3.5 12.2V4.5a1 1 0 0 1 1-1h7.7l8.3 8.3a1.5 1.5 0 0 1 0 2.1l-6.4 6.4a1.5 1.5 0 0 1-2.1 0z" />
      <circle cx="8.25" cy="8.25" r="1.25" />
    </>
  ),
  merge: (
    <>
      <circle cx="6" cy="5" r="2.25" />
      <circle cx="6" cy="19" r="2.25" />
      <circle cx="18" cy="12" r="2.25" />
      <path d="M6 7.25v9.5" />
      <path d="M6 7.5c0 3 3 4.5 9.75 4.5" />
    </>
  ),
  info: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 11v5.5" />
      <path d="M12 7.75v.25" />
    </>
  ),
} as const;

export type IconName = keyof typeof PATHS;

/** The frame every outline icon shares: 24×24, stroked in the text colour, hidden from assistive technology. */
export function IconFrame({ size = 18, children, ...rest }: { size?: number } & SVGProps<SVGSVGElement>) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.75}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...rest}
    >
      {children}
    </svg>
  );
}

export function Icon({ name, ...rest }: { name: IconName; size?: number } & SVGProps<SVGSVGElement>) {
  return <IconFrame {...rest}>{PATHS[name]}</IconFrame>;
}

/** The Cairn mark: three stacked stones. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="var(--brand-mark-bg)" />
      <ellipse cx="16" cy="23.5" rx="9" ry="3.6" fill="var(--brand-mark-1)" />
      <ellipse cx="16" cy="16.2" rx="6.6" ry="3" fill="var(--brand-mark-2)" />
      <ellipse cx="16" cy="9.6" rx="4.2" ry="2.5" fill="var(--brand-mark-3)" />
    </svg>
  );
}
