import type { Email } from '../domain/email.js';
import type { PermissionOverride, RecordedPermissionChange } from '../domain/permission-grants.js';
import type { Password } from '../domain/password.js';
import type { Permission, Role } from '../domain/roles.js';
import type { User, UserRegistered } from '../domain/user.js';

export type { Clock } from '@simple-securities/shared-kernel';

export interface UserRepository {
  /**
   * Stores a new user and publishes its registration in one transaction (the outbox),
   * so other contexts hear of every account and of no account that was not stored.
   * A taken email is a CONFLICT even when two sign-ups race past the read check.
   */
  add(user: User, registered: UserRegistered): Promise<void>;
  findByEmail(email: Email): Promise<User | undefined>;
  findById(id: string): Promise<User | undefined>;
}

export interface PasswordHasher {
  hash(password: Password): Promise<string>;
  /** False for a wrong password or a hash it cannot read; comparisons take constant time. */
  verify(password: string, hash: string): Promise<boolean>;
}

export interface AccessTokenIssuer {
  issue(subject: {
    userId: string;
    roles: readonly Role[];
    permissions: readonly Permission[];
  }): Promise<{ token: string; expiresAt: Date }>;
}

export interface IdGenerator {
  newId(): string;
}

export interface PermissionRepository {
  /**
   * Applies a change (a grant, a revocation, a new role) to the user, appends it to the
   * audit trail and publishes it, in one transaction.
   */
  record(change: RecordedPermissionChange): Promise<void>;
  overridesOf(userId: string): Promise<PermissionOverride[]>;
}

/**
 * Failed sign-ins per source (`account:<email>`, `address:<ip>`), shared by every
 * core instance that uses the same store.
 */
export interface SignInAttempts {
  /** Milliseconds until `source` may try again; 0 when it may now. */
  lockedOutFor(source: string): Promise<number>;
  /** Counts a failure of `source` and answers how many it has had within `windowMs`. */
  countFailure(source: string, windowMs: number): Promise<number>;
  lockOut(source: string, ms: number): Promise<void>;
  forgetFailures(source: string): Promise<void>;
}
