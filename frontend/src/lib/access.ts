/** What each role may open in the web app. The API enforces the same rules; this drives the UI. */

export type Section =
  | 'journeys'
  | 'insights'
  | 'prospects'
  | 'connections'
  | 'settings'
  | 'settings.users'
  | 'settings.taxonomy'
  | 'settings.model'
  | 'settings.privacy';

const ACCESS: Record<string, readonly Section[]> = {
  admin: [
    'journeys',
    'insights',
    'prospects',
    'connections',
    'settings',
    'settings.users',
    'settings.taxonomy',
    'settings.model',
    'settings.privacy',
  ],
  // Connections (sources, event debugger) read-only; edits the event taxonomy.
  marketer: [
    'journeys',
    'insights',
    'prospects',
    'connections',
    'settings',
    'settings.taxonomy',
    'settings.model',
  ],
  // Read-only prospect list and profiles.
  sales: ['prospects'],
};

export const ROLES = ['admin', 'marketer', 'sales'] as const;

export const ROLE_LABELS: Record<string, string> = {
  admin: 'Admin',
  marketer: 'Marketer',
  sales: 'Sales',
};

export const ROLE_DESCRIPTIONS: Record<string, string> = {
  admin: 'Everything, including connections, users, roles and privacy requests',
  marketer: 'Journeys, insights, prospects, event taxonomy and read-only connections',
  sales: 'Read-only prospect list',
};

export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}

export function canAccess(role: string, section: Section): boolean {
  return ACCESS[role]?.includes(section) ?? false;
}

/** Only admins change connections; marketers see them read-only. */
export function canManageConnections(role: string): boolean {
  return role === 'admin';
}

/** Where a member of a workspace lands after signing in. */
export function homePath(workspaceId: string, role: string): string {
  const section = canAccess(role, 'journeys') ? 'journeys' : 'prospects';
  return `/w/${encodeURIComponent(workspaceId)}/${section}`;
}

/**
 * A `?next=` target that is safe to redirect to: a same-origin absolute path only
 * (not `//host`, not `/\host`, not a scheme).
 */
export function safeNext(next: string | string[] | undefined | null): string | undefined {
  const value = Array.isArray(next) ? next[0] : next;
  if (!value || !value.startsWith('/') || value.startsWith('//')) return undefined;
  // Browsers drop tabs/newlines and treat `\` like `/` in URLs, so `/\t/evil.example` would become `//evil.example`.
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return undefined;
  if (value.startsWith('/sign-in') || value.startsWith('/api/')) return undefined;
  return value;
}
