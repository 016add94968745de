import {
  type Clock,
  type PasswordHasher,
  type Role,
  type UserRepository,
  parseDisplayName,
  parseEmail,
  parsePassword,
  registerUser,
} from '@simple-securities/identity';
import { randomUUID } from 'node:crypto';
import { LIQUIDITY_PROVIDER_USER_ID } from '@simple-securities/contracts';
import type { Logger } from '@simple-securities/service-kit';
import { isDomainError } from '@simple-securities/shared-kernel';

/**
 * Accounts to try the system with (README and GraphiQL examples use them). Fixed ids
 * let other contexts seed data for the same people.
 */
export const DEMO_USERS = [
  {
    id: '0a11ce00-0000-4000-8000-000000000001',
    email: 'alice@example.com',
    password: 'alice-password-1',
    displayName: 'Alice',
    roles: ['USER'],
  },
  {
    id: '0b0b0000-0000-4000-8000-000000000002',
    email: 'bob@example.com',
    password: 'bob-password-1',
    displayName: 'Bob',
    roles: ['USER'],
  },
  {
    id: 'ad000000-0000-4000-8000-000000000003',
    email: 'admin@example.com',
    password: 'admin-password-1',
    displayName: 'Admin',
    roles: ['ADMIN'],
  },
] as const satisfies readonly {
  id: string;
  email: string;
  password: string;
  displayName: string;
  roles: readonly Role[];
}[];

/**
 * The liquidity provider's account (ADR 0027). Wallets belong to registered users, so it
 * is one, but with a password made up at creation and never kept: no one signs in as it.
 */
export const LIQUIDITY_PROVIDER_USER = {
  id: LIQUIDITY_PROVIDER_USER_ID,
  email: 'liquidity-provider@example.com',
  displayName: 'Liquidity provider',
  roles: ['USER'],
} as const satisfies { id: string; email: string; displayName: string; roles: readonly Role[] };

/**
 * Creates the demo users and the liquidity provider's account when they do not exist
 * yet; safe to run at every start.
 */
export const seedDemoUsers = async (deps: {
  users: UserRepository;
  hasher: PasswordHasher;
  clock: Clock;
  logger: Logger;
}): Promise<{ created: string[] }> => {
  const created: string[] = [];
  const accounts = [...DEMO_USERS, { ...LIQUIDITY_PROVIDER_USER, password: randomUUID() }];
  for (const demo of accounts) {
    const email = parseEmail(demo.email);
    if (await deps.users.findByEmail(email)) continue;
    const { user, registered } = registerUser({
      id: demo.id,
      email,
      displayName: parseDisplayName(demo.displayName),
      passwordHash: await deps.hasher.hash(parsePassword(demo.password)),
      roles: demo.roles,
      createdAt: deps.clock.now(),
    });
    try {
      await deps.users.add(user, registered);
      created.push(demo.email);
    } catch (error) {
      // Another process seeding at the same moment got there first.
      if (!(isDomainError(error) && error.code === 'CONFLICT')) throw error;
    }
  }
  if (created.length) deps.logger.info({ created }, `created demo users: ${created.join(', ')}`);
  return { created };
};
