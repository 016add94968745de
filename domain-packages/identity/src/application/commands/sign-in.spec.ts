import { describe, it, expect, beforeEach } from '@jest/globals';
import {
  InMemoryUsers,
  RecordingHasher,
  fixedClock,
  sequentialIds,
  tokenIssuer,
} from '../../testing/in-memory-ports.js';
import { createSignIn } from './sign-in.js';
import { createSignUp } from './sign-up.js';

describe('sign in', () => {
  let hasher: RecordingHasher;
  let signIn: ReturnType<typeof createSignIn>;

  beforeEach(async () => {
    const users = new InMemoryUsers();
    hasher = new RecordingHasher();
    const deps = { users, hasher, tokens: tokenIssuer };
    await createSignUp({
      ...deps,
      clock: fixedClock('2026-01-01T00:00:00Z'),
      ids: sequentialIds(),
    })({ email: 'alice@example.com', password: 'alice-password-1', displayName: 'Alice' });
    signIn = createSignIn(deps);
  });

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
});
