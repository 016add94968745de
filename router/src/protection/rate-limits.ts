import type { Logger, WindowCounters } from '@simple-securities/service-kit';

/** How many requests a client may send per window: per address always, per user when signed in. */
export interface RateLimitPolicy {
  readonly perAddress: number;
  readonly perUser: number;
  readonly windowMs: number;
}

export const defaultRateLimitPolicy: RateLimitPolicy = {
  perAddress: 1200,
  perUser: 600,
  windowMs: 60_000,
};

/** Who sent a request, as far as rate limits care. */
export interface RequestOrigin {
  /** The peer address of the connection (the router trusts no forwarded-for header). */
  readonly address: string | undefined;
  readonly userId: string | undefined;
}

/** A request over a limit: what the client is told. */
export interface RateLimitRefusal {
  readonly message: string;
  /** Whole seconds until the window that refused it ends, for `Retry-After`. */
  readonly retryAfterSeconds: number;
}

/**
 * Counts each request against its address's and its user's windows, and refuses
 * one that goes over either. The counters may live in Redis, shared by every
 * router; when they fail, requests are let through (failing open) and the failure
 * logged, once until they work again: an outage of Redis must not become one of
 * the API.
 */
export class RateLimits {
  private failing = false;

  constructor(
    private readonly counters: WindowCounters,
    private readonly policy: RateLimitPolicy,
    private readonly logger: Logger,
  ) {}

  async admit({ address, userId }: RequestOrigin): Promise<RateLimitRefusal | undefined> {
    const { perAddress, perUser, windowMs } = this.policy;
    try {
      const [byAddress, byUser] = await Promise.all([
        address === undefined ? undefined : this.counters.hit(`address:${address}`, windowMs),
        userId === undefined ? undefined : this.counters.hit(`user:${userId}`, windowMs),
      ]);
      this.recovered();
      if (byUser && byUser.count > perUser) {
        return refusal(`You sent more than ${perUser} requests`, byUser.resetInMs, windowMs);
      }
      if (byAddress && byAddress.count > perAddress) {
        return refusal(
          `Your address sent more than ${perAddress} requests`,
          byAddress.resetInMs,
          windowMs,
        );
      }
      return undefined;
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.error(
          { err: error },
          'rate limits cannot be counted, so requests are let through until the counters work again',
        );
      }
      return undefined;
    }
  }

  private recovered() {
    if (!this.failing) return;
    this.failing = false;
    this.logger.info('rate limits are counted again');
  }
}

const refusal = (who: string, resetInMs: number, windowMs: number): RateLimitRefusal => {
  const retryAfterSeconds = Math.max(1, Math.ceil(resetInMs / 1000));
  return {
    message: `${who} in ${windowMs / 1000} s; try again in ${retryAfterSeconds} s.`,
    retryAfterSeconds,
  };
};
