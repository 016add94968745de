import { describe, it, expect, beforeEach } from '@jest/globals';
import {
  InMemoryUsers,
  RecordingHasher,
  fixedClock,
  sequentialIds,
  tokenIssuer,
} from '../../testing/in-memory-ports.js';
import { createSignUp } from './sign-up.js';

const expectCode = async (promise: Promise<unknown>, code: string) =>
  expect(promise).rejects.toMatchObject({ code });

describe('sign up', () => {
  let users: InMemoryUsers;
  let signUp: ReturnType<typeof createSignUp>;

  beforeEach(() => {
    users = new InMemoryUsers();
    signUp = createSignUp({
      users,
      hasher: new RecordingHasher(),
      tokens: tokenIssuer,
      clock: fixedClock('2026-01-01T00:00:00Z'),
      ids: sequentialIds(),
    });
  });

  it('stores the user with a hashed password and signs them in', async () => {
    const result = await signUp({
      email: ' Alice@Example.com',
      password: 'alice-password-1',
      displayName: 'Alice',
    });
    expect(result.user).toEqual({
      id: 'user-1',
      email: 'alice@example.com',
      displayName: 'Alice',
      passwordHash: 'hashed:alice-password-1',
      roles: ['USER'],
      createdAt: new Date('2026-01-01T00:00:00Z'),
    });
    expect(result.token).toMatch(/^token-for:user-1:/);
    expect(users.byId.get('user-1')).toEqual(result.user);
    expect(users.published).toEqual([
      {
        type: 'UserRegistered',
        userId: 'user-1',
        displayName: 'Alice',
        registeredAt: new Date('2026-01-01T00:00:00Z'),
      },
    ]);
  });

  it('refuses an email that already has an account, whatever its case', async () => {
    await signUp({ email: 'alice@example.com', password: 'alice-password-1', displayName: 'A' });
    await expectCode(
      signUp({ email: 'ALICE@example.com', password: 'other-password-2', displayName: 'B' }),
      'CONFLICT',
    );
    expect(users.byId.size).toBe(1);
  });

  it.each([
    { email: 'not-an-email', password: 'alice-password-1', displayName: 'Alice' },
    { email: 'alice@example.com', password: 'short-1', displayName: 'Alice' },
    { email: 'alice@example.com', password: 'alice-password-1', displayName: '  ' },
    { email: 'alice1@example.com', password: 'Alice1@example.com', displayName: 'Alice' },
    { email: 'alice@example.com', password: 'alice-pass\u0000word-1', displayName: 'Alice' },
    { email: 'alice@example.com', password: 'alice-password-1', displayName: 'Admin\u202E' },
    { email: 'alice@example.com', password: 'alice-password-1', displayName: 'Ad\u200Bmin' },
  ])('refuses bad input %j without storing anything', async (input) => {
    await expectCode(signUp(input), 'BAD_USER_INPUT');
    expect(users.byId.size).toBe(0);
  });
});
