/** Orders of the prospect list (`?sort=`), shared by the page (server) and the select (client). */
export const SORTS = [
  { value: 'recent', label: 'Last seen' },
  { value: 'risk', label: 'Highest risk' },
  { value: 'trend', label: 'Risk rising fastest' },
  { value: 'stage', label: 'Furthest stage' },
  { value: 'owner', label: 'CRM owner' },
] as const;
