import { DomainError } from '@simple-securities/shared-kernel';
import { PERMISSIONS, type Permission, type Role, ROLES, isRole, permissionsOf } from './roles.js';

/**
 * A permission an administrator granted to one user (granted = true) or withheld from
 * them (false), on top of what their roles give.
 */
export interface PermissionOverride {
  readonly permission: Permission;
  readonly granted: boolean;
}

/** What a user may do: their roles' permissions, plus grants, minus revocations. */
export const effectivePermissions = (
  roles: readonly Role[],
  overrides: readonly PermissionOverride[],
): Permission[] => {
  const granted = new Set<Permission>(permissionsOf(roles));
  for (const { permission, granted: on } of overrides) {
    if (on) granted.add(permission);
    else granted.delete(permission);
  }
  return PERMISSIONS.filter((permission) => granted.has(permission));
};

export const parsePermission = (value: string): Permission => {
  const permission = PERMISSIONS.find((known) => known === value.trim());
  if (!permission) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `Unknown permission "${value}". Known permissions: ${PERMISSIONS.join(', ')}.`,
      { field: 'permission' },
    );
  }
  return permission;
};

export const parseRole = (value: string): Role => {
  if (!isRole(value)) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `Unknown role "${value}". Roles: ${ROLES.join(', ')}.`,
      {
        field: 'role',
      },
    );
  }
  return value;
};

/** A change of what one user may do, as it is recorded and published. */
export type PermissionChange =
  | { readonly type: 'PermissionGranted'; readonly permission: Permission }
  | { readonly type: 'PermissionRevoked'; readonly permission: Permission }
  | { readonly type: 'RoleAssigned'; readonly role: Role };

export interface RecordedPermissionChange {
  readonly userId: string;
  readonly change: PermissionChange;
  /** The administrator who made it. */
  readonly changedBy: string;
  readonly changedAt: Date;
}
