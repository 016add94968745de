import { DomainError } from '@simple-securities/shared-kernel';
import { isEmail, parseEmail } from '../../domain/email.js';
import type { Password } from '../../domain/password.js';
import { lockoutAfter, type SignInThrottlePolicy } from '../../domain/sign-in-throttle.js';
import type { AuthResult } from '../auth-result.js';
import { issueTokenFor } from '../issue-token-for.js';
import type {
  AccessTokenIssuer,
  PasswordHasher,
  SignInAttempts,
  UserRepository,
} from '../ports.js';

export interface SignInInput {
  readonly email: string;
  readonly password: string;
  /** Where the attempt comes from, as the router saw it; unknown when core is called directly. */
  readonly clientAddress?: string | undefined;
}

/** Never says which half was wrong: that would tell an attacker which emails have accounts. */
export const wrongCredentials = () =>
  new DomainError('UNAUTHENTICATED', 'Wrong email or password.');

const tooManyAttempts = (lockedOutForMs: number) => {
  const retryAfterSeconds = Math.max(1, Math.ceil(lockedOutForMs / 1000));
  return new DomainError(
    'TOO_MANY_ATTEMPTS',
    `Too many failed sign-ins; try again in ${retryAfterSeconds} s.`,
    { retryAfterSeconds },
  );
};

/** The sources an attempt counts against, each with the failures it is allowed. */
const sourcesOf = (input: SignInInput, policy: SignInThrottlePolicy) => [
  {
    key: `account:${input.email.trim().toLowerCase()}`,
    maxFailures: policy.maxFailuresPerAccount,
    resetBySuccess: true,
  },
  ...(input.clientAddress
    ? [
        {
          key: `address:${input.clientAddress}`,
          maxFailures: policy.maxFailuresPerAddress,
          // One success on an address shared by many must not clear an attacker's failures.
          resetBySuccess: false,
        },
      ]
    : []),
];

/**
 * Signs a user in with email and password. Failures are counted per account and
 * per client address; past the policy's allowance a source is refused with
 * TOO_MANY_ATTEMPTS, before its password is checked, for a window that grows
 * with each further failure. A success clears the account's failures.
 */
export const createSignIn = (deps: {
  users: UserRepository;
  hasher: PasswordHasher;
  tokens: AccessTokenIssuer;
  attempts: SignInAttempts;
  throttle: SignInThrottlePolicy;
}) => {
  // Unknown emails are checked against this hash too, so both failures take as long.
  let decoyHash: Promise<string> | undefined;
  const decoy = () => (decoyHash ??= deps.hasher.hash('decoy-password-never-used' as Password));
  const { attempts, throttle } = deps;

  return async (input: SignInInput): Promise<AuthResult> => {
    const sources = sourcesOf(input, throttle);
    const lockedOutFor = Math.max(
      ...(await Promise.all(sources.map(({ key }) => attempts.lockedOutFor(key)))),
    );
    if (lockedOutFor > 0) throw tooManyAttempts(lockedOutFor);

    const user = isEmail(input.email)
      ? await deps.users.findByEmail(parseEmail(input.email))
      : undefined;
    const matches = await deps.hasher.verify(input.password, user?.passwordHash ?? (await decoy()));
    if (!user || !matches) {
      await Promise.all(
        sources.map(async ({ key, maxFailures }) => {
          const failures = await attempts.countFailure(key, throttle.failureWindowMs);
          const lockout = lockoutAfter(failures, maxFailures, throttle);
          if (lockout > 0) await attempts.lockOut(key, lockout);
        }),
      );
      throw wrongCredentials();
    }
    await Promise.all(
      sources
        .filter(({ resetBySuccess }) => resetBySuccess)
        .map(({ key }) => attempts.forgetFailures(key)),
    );
    return issueTokenFor(deps.tokens, user);
  };
};
