import type { ReactNode } from 'react';
import { IconFrame } from '../Icon';

const PATHS: Record<string, ReactNode> = {
  trigger: <path d="M13 2.5 4.5 13.5H11l-1 8 8.5-11H12z" />,
  wait: (
    <>
      <circle cx="12" cy="12" r="8.5" />
      <path d="M12 7.5V12l3 2" />
    </>
  ),
  branch: (
    <>
      <circle cx="6" cy="5.5" r="2" />
      <circle cx="6" cy="18.5" r="2" />
      <circle cx="18" cy="8.5" r="2" />
      <path d="M6 7.5v9M6 13c0-3 12-1 12-2.5" />
    </>
  ),
  random_split: (
    <>
      <path d="M3.5 7h4l9 10h4M3.5 17h4l9-10h4" />
      <path d="m18 4.5 2.5 2.5L18 9.5M18 14.5l2.5 2.5-2.5 2.5" />
    </>
  ),
  holdout: (
    <>
      <circle cx="12" cy="12" r="8.5" />
      <path d="M6 6l12 12" />
    </>
  ),
  goal: (
    <>
      <path d="M5.5 21V3.5" />
      <path d="M5.5 4h12l-2.5 4 2.5 4h-12" />
    </>
  ),
  exit: (
    <>
      <path d="M10 4H5.5a1.5 1.5 0 0 0-1.5 1.5v13A1.5 1.5 0 0 0 5.5 20H10" />
      <path d="M15 8l4 4-4 4M19 12H9" />
    </>
  ),
  send_email: (
    <>
      <rect x="3" y="5.5" width="18" height="13" rx="2" />
      <path d="m3.5 7 8.5 6 8.5-6" />
    </>
  ),
  crm_task: (
    <>
      <rect x="4.5" y="4" width="15" height="17" rx="2" />
      <path d="M9 3v2.5h6V3M8.5 13l2.5 2.5 4.5-5" />
    </>
  ),
  crm_set_field: (
    <>
      <path d="M4 20h4l10.5-10.5a2.1 2.1 0 0 0-3-3L5 17z" />
      <path d="m13.5 7.5 3 3" />
    </>
  ),
  slack: (
    <>
      <path d="M4 12.5V6a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H9l-5 4z" />
      <path d="M8.5 9h7M8.5 12h4" />
    </>
  ),
  webhook: (
    <>
      <path d="M9 15.5a4 4 0 1 1 1.5-7.5M15 8.5a4 4 0 1 1-1.5 7.5" />
      <path d="M9.5 12h5" />
    </>
  ),
  segment_event: (
    <>
      <path d="M4 8.5h11.5M8.5 15.5H20" />
      <circle cx="18" cy="8.5" r="1.75" />
      <circle cx="6" cy="15.5" r="1.75" />
    </>
  ),
  enroll_journey: (
    <>
      <circle cx="6" cy="18" r="2.25" />
      <circle cx="18" cy="6" r="2.25" />
      <path d="M8 16.5 16 7.5" />
      <path d="M12 6h4.5v4.5" />
    </>
  ),
};

/** The icon of a kind of node (outline, 24×24, inherits the text colour). */
export function NodeIcon({ type, size = 18 }: { type: string; size?: number }) {
  return <IconFrame size={size}>{PATHS[type] ?? <circle cx="12" cy="12" r="8" />}</IconFrame>;
}
