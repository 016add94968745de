import {
  type RecordedPermissionChange,
  type createAssignRole,
  type createGetUser,
  type createGrantPermission,
  type createRevokePermission,
  type createGetEffectivePermissions,
} from '@simple-securities/identity';
import {
  type GraphQLResolverMap,
  parseInput,
  type RequestContext,
  requireCaller,
} from '@simple-securities/service-kit';
import { DomainError } from '@simple-securities/shared-kernel';
import { z } from 'zod';

export interface PermissionUseCases {
  readonly grantPermission: ReturnType<typeof createGrantPermission>;
  readonly revokePermission: ReturnType<typeof createRevokePermission>;
  readonly assignRole: ReturnType<typeof createAssignRole>;
  readonly getUser: ReturnType<typeof createGetUser>;
  readonly getEffectivePermissions: ReturnType<typeof createGetEffectivePermissions>;
}

const permissionInput = z.object({ userId: z.string().max(64), permission: z.string().max(100) });
const roleInput = z.object({ userId: z.string().max(64), role: z.string().max(20) });

export const permissionResolvers = (
  useCases: PermissionUseCases,
): GraphQLResolverMap<RequestContext> => {
  const payload = async (recorded: RecordedPermissionChange, context: RequestContext) => {
    const user = await useCases.getUser(recorded.userId, context.caller);
    const permissions = await useCases.getEffectivePermissions(recorded.userId);
    if (!user || !permissions) throw new DomainError('NOT_FOUND', `No user ${recorded.userId}.`);
    return {
      user,
      effectivePermissions: permissions,
      changedBy: recorded.changedBy,
      changedAt: recorded.changedAt,
    };
  };
  return {
    Mutation: {
      grantPermission: async (_root, { input }: { input: unknown }, context) =>
        payload(
          await useCases.grantPermission(
            requireCaller(context.caller),
            parseInput(permissionInput, input),
          ),
          context,
        ),
      revokePermission: async (_root, { input }: { input: unknown }, context) =>
        payload(
          await useCases.revokePermission(
            requireCaller(context.caller),
            parseInput(permissionInput, input),
          ),
          context,
        ),
      assignRole: async (_root, { input }: { input: unknown }, context) =>
        payload(
          await useCases.assignRole(requireCaller(context.caller), parseInput(roleInput, input)),
          context,
        ),
    },
  };
};
