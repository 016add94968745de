import type { Permission } from '../../domain/roles.js';
import { effectivePermissions } from '../../domain/permission-grants.js';
import type { PermissionRepository, UserRepository } from '../ports.js';

/** What a user may do now: their roles, grants and revocations; undefined for no such user. */
export const createGetEffectivePermissions =
  (deps: { users: UserRepository; permissions: PermissionRepository }) =>
  async (userId: string): Promise<Permission[] | undefined> => {
    const user = await deps.users.findById(userId);
    return user && effectivePermissions(user.roles, await deps.permissions.overridesOf(userId));
  };

/** Whether a user may do something now (the gRPC CheckPermission). */
export const createHasPermission = (deps: {
  users: UserRepository;
  permissions: PermissionRepository;
}) => {
  const permissionsOf = createGetEffectivePermissions(deps);
  return async (userId: string, permission: string): Promise<boolean> =>
    ((await permissionsOf(userId)) as string[] | undefined)?.includes(permission) ?? false;
};
