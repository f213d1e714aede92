import type { CrmProvider } from '@/api/types';

/** A simple, recognisable mark for each CRM, drawn inline (no external assets). */
export function CrmMark({ provider }: { provider: CrmProvider }) {
  return (
    <span className={`provider-mark provider-mark--${provider}`} aria-hidden="true">
      {provider === 'hubspot' ? (
        // A sprocket: a hub with one spoke to a small node.
        <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2">
          <circle cx="14.5" cy="14" r="4.25" />
          <path d="M14.5 9.75V6" strokeLinecap="round" />
          <circle cx="14.5" cy="4.5" r="1.6" fill="currentColor" stroke="none" />
          <path d="M11.3 11.2 6.2 7.2" strokeLinecap="round" />
          <circle cx="5" cy="6.2" r="1.8" fill="currentColor" stroke="none" />
          <path d="M11.6 17.2 8.6 20" strokeLinecap="round" />
        </svg>
      ) : (
        // A cloud.
        <svg width="24" height="24" viewBox="0 0 24 24" fill="currentColor">
          <path d="M7.2 18.5a4.2 4.2 0 0 1-.9-8.3 4.6 4.6 0 0 1 8.3-2.6 3.6 3.6 0 0 1 4.6 2.4 4.3 4.3 0 0 1-.6 8.5Z" />
        </svg>
      )}
    </span>
  );
}
