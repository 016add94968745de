import type { Email } from '../domain/email.js';
import type { User, UserRegistered } from '../domain/user.js';
import { emailTaken } from '../application/commands/sign-up.js';
import type {
  AccessTokenIssuer,
  Clock,
  IdGenerator,
  PasswordHasher,
  UserRepository,
} from '../application/ports.js';

/**
 * Test doubles for the use-case specs. The real adapters (Prisma, scrypt, JWT) are
 * tested against real Postgres in subgraphs/core/test.
 */
export class InMemoryUsers implements UserRepository {
  readonly byId = new Map<string, User>();
  readonly published: UserRegistered[] = [];
  async add(user: User, registered: UserRegistered) {
    if ([...this.byId.values()].some((other) => other.email === user.email)) throw emailTaken();
    this.byId.set(user.id, user);
    this.published.push(registered);
  }
  async findByEmail(email: Email) {
    return [...this.byId.values()].find((user) => user.email === email);
  }
  async findById(id: string) {
    return this.byId.get(id);
  }
}

/** Reversible on purpose so specs can see what was hashed; counts calls for timing specs. */
export class RecordingHasher implements PasswordHasher {
  hashes = 0;
  verifications: string[] = [];
  async hash(password: string) {
    this.hashes += 1;
    return `hashed:${password}`;
  }
  async verify(password: string, hash: string) {
    this.verifications.push(hash);
    return hash === `hashed:${password}`;
  }
}

export const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });

export const sequentialIds = (): IdGenerator => {
  let next = 0;
  return { newId: () => `user-${++next}` };
};

export const tokenIssuer: AccessTokenIssuer = {
  issue: async ({ userId, permissions }) => ({
    token: `token-for:${userId}:${permissions.length}`,
    expiresAt: new Date('2026-01-01T01:00:00Z'),
  }),
};
