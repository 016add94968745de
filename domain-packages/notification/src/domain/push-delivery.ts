/**
 * Pushing one notification to its user's webhook: a bounded number of attempts, each
 * recorded, with exponential backoff and jitter between them.
 */

/** What one attempt turned into, as the owner sees it in their delivery list. */
export const PUSH_ATTEMPT_STATUSES = ['DELIVERED', 'RETRYING', 'FAILED'] as const;
export type PushAttemptStatus = (typeof PUSH_ATTEMPT_STATUSES)[number];

/** What the push channel reports of one attempt. */
export type PushOutcome =
  | { readonly delivered: true; readonly httpStatus: number }
  | {
      readonly delivered: false;
      /** Another attempt may succeed (a timeout, a 5xx, a 429); a refused address or a 4xx will not. */
      readonly retryable: boolean;
      readonly httpStatus?: number;
      /** Why, in words the webhook's owner understands. */
      readonly error: string;
    };

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  readonly maxAttempts: number;
  /** The pause after the first failed attempt; it doubles after each further one. */
  readonly baseDelayMs: number;
  /** No pause is longer. */
  readonly maxDelayMs: number;
}

/**
 * The pause after failed attempt `attempt` (1-based): the exponential step, of which a
 * random half is kept ("equal jitter"), so webhooks that failed together do not all
 * retry at the same moment, and no pause is shorter than half its step.
 * `random` is in [0, 1).
 */
export const retryDelayMs = (policy: RetryPolicy, attempt: number, random: number): number => {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + (step / 2) * random);
};

export type NextStep =
  | { readonly status: 'DELIVERED' }
  | { readonly status: 'RETRYING'; readonly nextAttemptAt: Date }
  | { readonly status: 'FAILED' };

/** What follows attempt `attempt` (1-based) that ended with `outcome` at `now`. */
export const nextStepAfter = (
  policy: RetryPolicy,
  attempt: number,
  outcome: PushOutcome,
  now: Date,
  random: number,
): NextStep => {
  if (outcome.delivered) return { status: 'DELIVERED' };
  if (!outcome.retryable || attempt >= policy.maxAttempts) return { status: 'FAILED' };
  return {
    status: 'RETRYING',
    nextAttemptAt: new Date(now.getTime() + retryDelayMs(policy, attempt, random)),
  };
};
