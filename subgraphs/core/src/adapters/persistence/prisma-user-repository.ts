import {
  type DisplayName,
  type Email,
  type Role,
  type User,
  type UserRepository,
  emailTaken,
} from '@simple-securities/identity';
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

/** Users in `core.users` through Prisma. */
export class PrismaUserRepository implements UserRepository {
  constructor(private readonly prisma: CorePrismaClient) {}

  async add(user: User): Promise<void> {
    try {
      await this.prisma.user.create({
        data: {
          id: user.id,
          email: user.email,
          displayName: user.displayName,
          passwordHash: user.passwordHash,
          roles: [...user.roles],
          createdAt: user.createdAt,
        },
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
