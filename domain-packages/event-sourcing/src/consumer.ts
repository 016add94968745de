import type { GlobalPosition } from './event-store.js';

/** How a consumer retries a failing handler before parking the event as a dead letter. */
export interface RetryPolicy {
  /** Attempts in total, including the first; default 5. */
  maxAttempts: number;
  /** Delay before the second attempt; doubled each time up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  initialDelayMs: 50,
  maxDelayMs: 5_000,
};

/** Exponential backoff with full jitter; `attempt` is the attempt that just failed (1-based). */
export const backoffDelay = (
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number => {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
};

/** A durable position per consumer group. */
export interface CheckpointStore<Tx = unknown> {
  load(consumer: string): Promise<GlobalPosition>;
  /** Moves the checkpoint from `from` to `to`; false when another instance moved it first. */
  advance(tx: Tx, consumer: string, from: GlobalPosition, to: GlobalPosition): Promise<boolean>;
  reset(consumer: string, to?: GlobalPosition): Promise<void>;
}
