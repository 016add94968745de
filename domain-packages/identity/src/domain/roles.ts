/**
 * What each role may do. Subgraphs check permissions, never roles, so a new role is one
 * entry here and no change anywhere else.
 */
export const ROLES = ['USER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'users:read',
  'wallets:read',
  'wallets:deposit',
  'wallets:withdraw',
  'orders:read',
  'orders:place',
  'orders:cancel',
  'portfolio:read',
  'positions:read',
  'positions:manage',
  'notifications:read',
  'notifications:update',
  'admin:users:read',
  'admin:users:manage',
  'admin:markets:manage',
  'admin:ledger:read',
  'admin:notifications:send',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const isAdminPermission = (permission: Permission) => permission.startsWith('admin:');

const PERMISSIONS_BY_ROLE: Readonly<Record<Role, readonly Permission[]>> = {
  USER: PERMISSIONS.filter((permission) => !isAdminPermission(permission)),
  ADMIN: PERMISSIONS,
};

/** Every permission the roles grant, in catalogue order, each once. */
export const permissionsOf = (roles: readonly Role[]): Permission[] =>
  PERMISSIONS.filter((permission) =>
    roles.some((role) => PERMISSIONS_BY_ROLE[role].includes(permission)),
  );

export const isRole = (value: string): value is Role =>
  (ROLES as readonly string[]).includes(value);
