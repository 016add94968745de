import {
  CORE_SOURCE,
  PERMISSION_GRANTED,
  PERMISSION_REVOKED,
  ROLE_ASSIGNED,
} from '@simple-securities/contracts';
import { integrationEvent } from '@simple-securities/event-sourcing';
import {
  type PermissionOverride,
  type PermissionRepository,
  type RecordedPermissionChange,
  parsePermission,
} from '@simple-securities/identity';
import { postgresOutbox } from '@simple-securities/postgres';
import type { CorePrismaClient } from './prisma-client.js';
import { sqlThrough } from './prisma-user-repository.js';

const eventOf = ({ userId, change, changedBy, changedAt }: RecordedPermissionChange) => {
  const common = { userId, changedBy, changedAt: changedAt.toISOString() };
  const envelope = { source: CORE_SOURCE, subject: userId, time: changedAt };
  switch (change.type) {
    case 'PermissionGranted':
      return integrationEvent({
        ...envelope,
        type: PERMISSION_GRANTED,
        data: { ...common, permission: change.permission },
      });
    case 'PermissionRevoked':
      return integrationEvent({
        ...envelope,
        type: PERMISSION_REVOKED,
        data: { ...common, permission: change.permission },
      });
    case 'RoleAssigned':
      return integrationEvent({
        ...envelope,
        type: ROLE_ASSIGNED,
        data: { ...common, role: change.role },
      });
  }
};

/** Grants, revocations and roles in `core.user_permissions` and `core.users`, audited in `core.permission_changes`. */
export class PrismaPermissionRepository implements PermissionRepository {
  constructor(private readonly prisma: CorePrismaClient) {}

  async record(recorded: RecordedPermissionChange): Promise<void> {
    const { userId, change, changedBy, changedAt } = recorded;
    await this.prisma.$transaction(async (tx) => {
      if (change.type === 'RoleAssigned') {
        await tx.user.update({ where: { id: userId }, data: { roles: [change.role] } });
      } else {
        const granted = change.type === 'PermissionGranted';
        await tx.userPermission.upsert({
          where: { userId_permission: { userId, permission: change.permission } },
          create: { userId, permission: change.permission, granted, changedBy, changedAt },
          update: { granted, changedBy, changedAt },
        });
      }
      await tx.permissionChange.create({
        data: {
          userId,
          change: change.type,
          subject: change.type === 'RoleAssigned' ? change.role : change.permission,
          changedBy,
          changedAt,
        },
      });
      await postgresOutbox.enqueue(sqlThrough(tx), [eventOf(recorded)]);
    });
  }

  async overridesOf(userId: string): Promise<PermissionOverride[]> {
    const rows = await this.prisma.userPermission.findMany({ where: { userId } });
    return rows.map((row) => ({
      permission: parsePermission(row.permission),
      granted: row.granted,
    }));
  }
}
