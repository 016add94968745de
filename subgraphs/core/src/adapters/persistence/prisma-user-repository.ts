import { CORE_SOURCE, USER_REGISTERED, type UserRegisteredV1 } from '@simple-securities/contracts';
import { integrationEvent } from '@simple-securities/event-sourcing';
import {
  type DisplayName,
  type Email,
  type Role,
  type User,
  type UserRegistered,
  type UserRepository,
  emailTaken,
} from '@simple-securities/identity';
import { type SqlExecutor, postgresOutbox } from '@simple-securities/postgres';
import { Prisma } from './generated/prisma/client.js';
import type { CorePrismaClient } from './prisma-client.js';

type UserRow = Prisma.UserModel;

const toUser = (row: UserRow): User => ({
  id: row.id,
  // Rows are only written from validated domain values.
  email: row.email as Email,
  displayName: row.displayName as DisplayName,
  passwordHash: row.passwordHash,
  roles: row.roles satisfies Role[],
  createdAt: row.createdAt,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

type PrismaTransaction = Parameters<Parameters<CorePrismaClient['$transaction']>[0]>[0];

/** Our outbox speaks SQL; inside Prisma's transaction it runs through Prisma's connection. */
export const sqlThrough = (tx: PrismaTransaction): SqlExecutor => ({
  async query<Row>(sql: string, params: readonly unknown[] = []) {
    const rows = await tx.$queryRawUnsafe<Row[]>(sql, ...params);
    return { rows, rowCount: rows.length };
  },
});

const registeredEvent = (registered: UserRegistered) =>
  integrationEvent<typeof USER_REGISTERED, UserRegisteredV1>({
    type: USER_REGISTERED,
    source: CORE_SOURCE,
    subject: registered.userId,
    time: registered.registeredAt,
    data: {
      userId: registered.userId,
      displayName: registered.displayName,
      registeredAt: registered.registeredAt.toISOString(),
    },
  });

/** Users in `core.users` through Prisma; registrations go out through the outbox. */
export class PrismaUserRepository implements UserRepository {
  constructor(private readonly prisma: CorePrismaClient) {}

  async add(user: User, registered: UserRegistered): Promise<void> {
    try {
      await this.prisma.$transaction(async (tx) => {
        await tx.user.create({
          data: {
            id: user.id,
            email: user.email,
            displayName: user.displayName,
            passwordHash: user.passwordHash,
            roles: [...user.roles],
            createdAt: user.createdAt,
          },
        });
        await postgresOutbox.enqueue(sqlThrough(tx), [registeredEvent(registered)]);
      });
    } catch (error) {
      // Two sign-ups with one email can both pass the read check; the unique index decides.
      if (isUniqueViolation(error)) throw emailTaken();
      throw error;
    }
  }

  async findByEmail(email: Email): Promise<User | undefined> {
    const row = await this.prisma.user.findUnique({ where: { email } });
    return row ? toUser(row) : undefined;
  }

  async findById(id: string): Promise<User | undefined> {
    // Ids arrive from tokens and other subgraphs; a non-UUID cannot name a user.
    if (!UUID.test(id)) return undefined;
    const row = await this.prisma.user.findUnique({ where: { id } });
    return row ? toUser(row) : undefined;
  }
}
