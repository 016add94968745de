/**
 * When failed sign-ins shut a source out, and for how long. A source is an
 * account (its email, known or not: a lockout must not tell which emails have
 * accounts) or the address the attempts come from, which gets more room since
 * many people may share it.
 */
export interface SignInThrottlePolicy {
  readonly maxFailuresPerAccount: number;
  readonly maxFailuresPerAddress: number;
  /** The lockout after the last allowed failure; each further failure doubles it. */
  readonly firstLockoutMs: number;
  readonly maxLockoutMs: number;
  /** How long failures are remembered, counted from the first of a series. */
  readonly failureWindowMs: number;
}

export const defaultSignInThrottlePolicy: SignInThrottlePolicy = {
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 20,
  firstLockoutMs: 1_000,
  maxLockoutMs: 15 * 60_000,
  failureWindowMs: 60 * 60_000,
};

/**
 * How long a source is shut out after its `failures`-th failure in a row: not at
 * all below `maxFailures`, then a window that doubles with each failure, up to
 * the policy's longest.
 */
export const lockoutAfter = (
  failures: number,
  maxFailures: number,
  policy: Pick<SignInThrottlePolicy, 'firstLockoutMs' | 'maxLockoutMs'>,
): number =>
  failures < maxFailures
    ? 0
    : Math.min(
        policy.firstLockoutMs * 2 ** Math.min(failures - maxFailures, 30),
        policy.maxLockoutMs,
      );
