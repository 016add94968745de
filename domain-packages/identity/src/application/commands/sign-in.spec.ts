import { describe, it, expect, beforeEach } from '@jest/globals';
import {
  InMemorySignInAttempts,
  InMemoryUsers,
  RecordingHasher,
  fixedClock,
  sequentialIds,
  tokenIssuer,
} from '../../testing/in-memory-ports.js';
import { createSignIn } from './sign-in.js';
import { createSignUp } from './sign-up.js';

const throttle = {
  maxFailuresPerAccount: 3,
  maxFailuresPerAddress: 5,
  firstLockoutMs: 1_000,
  maxLockoutMs: 60_000,
  failureWindowMs: 3_600_000,
};

describe('sign in', () => {
  let hasher: RecordingHasher;
  let signIn: ReturnType<typeof createSignIn>;
  let now: number;

  beforeEach(async () => {
    const users = new InMemoryUsers();
    hasher = new RecordingHasher();
    now = 0;
    const deps = { users, hasher, tokens: tokenIssuer };
    await createSignUp({
      ...deps,
      clock: fixedClock('2026-01-01T00:00:00Z'),
      ids: sequentialIds(),
    })({ email: 'alice@example.com', password: 'alice-password-1', displayName: 'Alice' });
    signIn = createSignIn({ ...deps, attempts: new InMemorySignInAttempts(() => now), throttle });
  });

  const failuresOf = async (attempts: { email: string; password: string }[]) => {
    const codes = [];
    for (const attempt of attempts) {
      codes.push(
        await signIn({ ...attempt, clientAddress: '203.0.113.7' }).then(
          () => 'SIGNED_IN',
          (error: { code?: string }) => error.code,
        ),
      );
    }
    return codes;
  };
  const wrong = { email: 'alice@example.com', password: 'wrong-password-1' };
  const right = { email: 'alice@example.com', password: 'alice-password-1' };

  it('signs in with the right password, whatever the email case', async () => {
    const result = await signIn({ email: 'Alice@Example.com', password: 'alice-password-1' });
    expect(result.user.id).toBe('user-1');
    expect(result.token).toMatch(/^token-for:user-1:/);
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const wrongPassword = signIn({ email: 'alice@example.com', password: 'wrong-password-1' });
    const unknownEmail = signIn({ email: 'nobody@example.com', password: 'alice-password-1' });
    const malformedEmail = signIn({ email: 'nobody', password: 'alice-password-1' });
    const errors = await Promise.all(
      [wrongPassword, unknownEmail, malformedEmail].map((attempt) =>
        attempt.then(
          () => undefined,
          (error: unknown) => error,
        ),
      ),
    );
    for (const error of errors) {
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'Wrong email or password.' });
    }
  });

  it('still verifies a hash when the email is unknown, so both failures cost the same', async () => {
    await expect(
      signIn({ email: 'nobody@example.com', password: 'alice-password-1' }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(hasher.verifications).toHaveLength(1);
    expect(hasher.verifications[0]).toMatch(/^hashed:/);
  });

  describe('after too many failures', () => {
    it('refuses the account, even with the right password, until its lockout ends', async () => {
      expect(await failuresOf([wrong, wrong, wrong, right])).toEqual([
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'TOO_MANY_ATTEMPTS',
      ]);
      await expect(signIn(right)).rejects.toMatchObject({
        code: 'TOO_MANY_ATTEMPTS',
        details: { retryAfterSeconds: 1 },
      });

      now += 1_000;

      expect(await failuresOf([right])).toEqual(['SIGNED_IN']);
    });

    it('locks the account out for longer with each further failure', async () => {
      await failuresOf([wrong, wrong, wrong]);
      now += 1_000;
      await failuresOf([wrong]);

      await expect(signIn(right)).rejects.toMatchObject({ details: { retryAfterSeconds: 2 } });
    });

    it('locks out an unknown email the same way, so a lockout tells nothing about accounts', async () => {
      const nobody = { email: 'nobody@example.com', password: 'wrong-password-1' };
      expect(await failuresOf([nobody, nobody, nobody, nobody])).toEqual([
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'TOO_MANY_ATTEMPTS',
      ]);
    });

    it('refuses an address that failed on many accounts, whichever account it tries next', async () => {
      const guesses = ['a', 'b', 'c', 'd', 'e'].map((name) => ({
        email: `${name}@example.com`,
        password: 'guess-password-1',
      }));
      expect(await failuresOf([...guesses, right])).toEqual([
        ...guesses.map(() => 'UNAUTHENTICATED'),
        'TOO_MANY_ATTEMPTS',
      ]);
      // The same account from elsewhere is not locked out.
      await expect(signIn(right)).resolves.toMatchObject({ user: { id: 'user-1' } });
    });
  });

  it('forgets the account failures of a successful sign-in', async () => {
    expect(await failuresOf([wrong, wrong, right, wrong, wrong, right])).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'SIGNED_IN',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'SIGNED_IN',
    ]);
  });
});
