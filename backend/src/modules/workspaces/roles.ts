export const ROLES = ['admin', 'marketer', 'sales'] as const;
export type Role = (typeof ROLES)[number];
