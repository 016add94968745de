import { DomainError } from '@simple-securities/shared-kernel';
import {
  type PermissionChange,
  type RecordedPermissionChange,
  parsePermission,
  parseRole,
} from '../../domain/permission-grants.js';
import type { Clock, PermissionRepository, UserRepository } from '../ports.js';

/** Who asks, as the router forwards them. */
export interface Administrator {
  readonly userId: string;
  readonly permissions: readonly string[];
}

const MANAGE_USERS = 'admin:users:manage';

/**
 * Records one change of what a user may do (who made it, when) and publishes it, in one
 * transaction. Only administrators with admin:users:manage may make it.
 */
const changePermissions =
  <Input extends { userId: string }>(toChange: (input: Input) => PermissionChange) =>
  (deps: { users: UserRepository; permissions: PermissionRepository; clock: Clock }) =>
  async (admin: Administrator, input: Input): Promise<RecordedPermissionChange> => {
    if (!admin.permissions.includes(MANAGE_USERS)) {
      throw new DomainError('FORBIDDEN', `You do not have the "${MANAGE_USERS}" permission.`);
    }
    const change = toChange(input);
    if (!(await deps.users.findById(input.userId))) {
      throw new DomainError('NOT_FOUND', `No user ${input.userId}.`, { field: 'userId' });
    }
    const recorded = {
      userId: input.userId,
      change,
      changedBy: admin.userId,
      changedAt: deps.clock.now(),
    };
    await deps.permissions.record(recorded);
    return recorded;
  };

export const createGrantPermission = changePermissions(
  (input: { userId: string; permission: string }) => ({
    type: 'PermissionGranted',
    permission: parsePermission(input.permission),
  }),
);

export const createRevokePermission = changePermissions(
  (input: { userId: string; permission: string }) => ({
    type: 'PermissionRevoked',
    permission: parsePermission(input.permission),
  }),
);

export const createAssignRole = changePermissions((input: { userId: string; role: string }) => ({
  type: 'RoleAssigned',
  role: parseRole(input.role),
}));
