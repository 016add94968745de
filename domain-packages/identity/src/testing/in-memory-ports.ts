import type { Email } from '../domain/email.js';
import type { User, UserRegistered } from '../domain/user.js';
import { emailTaken } from '../application/commands/sign-up.js';
import type {
  AccessTokenIssuer,
  Clock,
  IdGenerator,
  PasswordHasher,
  SignInAttempts,
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

/** Failed sign-ins on a clock the spec moves. */
export class InMemorySignInAttempts implements SignInAttempts {
  private readonly failures = new Map<string, { count: number; until: number }>();
  private readonly lockouts = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  async lockedOutFor(source: string) {
    return Math.max(0, (this.lockouts.get(source) ?? 0) - this.now());
  }
  async countFailure(source: string, windowMs: number) {
    const open = this.failures.get(source);
    const window =
      open && open.until > this.now() ? open : { count: 0, until: this.now() + windowMs };
    window.count += 1;
    this.failures.set(source, window);
    return window.count;
  }
  async lockOut(source: string, ms: number) {
    this.lockouts.set(source, this.now() + ms);
  }
  async forgetFailures(source: string) {
    this.failures.delete(source);
  }
}
