import { describe, it, expect, beforeEach } from '@jest/globals';
import type { User } from '../../domain/user.js';
import {
  InMemoryUsers,
  RecordingHasher,
  fixedClock,
  sequentialIds,
  tokenIssuer,
} from '../../testing/in-memory-ports.js';
import { createSignUp } from '../commands/sign-up.js';
import { createGetCurrentUser } from './get-current-user.js';
import { createGetUser } from './get-user.js';

describe('reading users', () => {
  let users: InMemoryUsers;
  let alice: User;

  beforeEach(async () => {
    users = new InMemoryUsers();
    ({ user: alice } = await createSignUp({
      users,
      hasher: new RecordingHasher(),
      tokens: tokenIssuer,
      clock: fixedClock('2026-01-01T00:00:00Z'),
      ids: sequentialIds(),
    })({ email: 'alice@example.com', password: 'alice-password-1', displayName: 'Alice' }));
  });

  it('gives the caller their full profile, and nothing once the account is gone', async () => {
    const getCurrentUser = createGetCurrentUser({ users });
    const me = await getCurrentUser({ userId: alice.id, permissions: [] });
    expect(me).toMatchObject({ id: alice.id, email: 'alice@example.com', roles: ['USER'] });
    expect(me?.permissions).toContain('orders:place');
    users.byId.clear();
    expect(await getCurrentUser({ userId: alice.id, permissions: [] })).toBeUndefined();
  });

  it('shows other viewers only the public part of a user', async () => {
    const getUser = createGetUser({ users });
    const seenByBob = await getUser(alice.id, { userId: 'bob', permissions: ['users:read'] });
    expect(seenByBob).toEqual({
      id: alice.id,
      displayName: 'Alice',
      createdAt: new Date('2026-01-01T00:00:00Z'),
    });
    expect(await getUser(alice.id, undefined)).toEqual(seenByBob);
    expect(
      await getUser(alice.id, { userId: 'admin', permissions: ['admin:users:read'] }),
    ).toMatchObject({ email: 'alice@example.com' });
    expect(await getUser('nobody', undefined)).toBeUndefined();
  });
});
