import type { SignInAttempts } from '@simple-securities/identity';
import type { Logger, WindowCounters } from '@simple-securities/service-kit';

/**
 * Failed sign-ins kept in window counters (Redis when REDIS_URL is set, so every
 * core instance sees the same ones; memory otherwise). A lockout is a window of
 * its own that opens with it and ends with it. When the counters fail, sign-ins
 * go on unthrottled (failing open) and the failure is logged: an outage of the
 * counters must not lock every user out.
 */
export class WindowCounterSignInAttempts implements SignInAttempts {
  constructor(
    private readonly counters: WindowCounters,
    private readonly logger: Logger,
  ) {}

  async lockedOutFor(source: string): Promise<number> {
    return this.orElse(0, async () => (await this.counters.peek(`lockout:${source}`)).resetInMs);
  }

  async countFailure(source: string, windowMs: number): Promise<number> {
    return this.orElse(
      0,
      async () => (await this.counters.hit(`failures:${source}`, windowMs)).count,
    );
  }

  async lockOut(source: string, ms: number): Promise<void> {
    await this.orElse(undefined, async () => {
      await this.counters.reset(`lockout:${source}`);
      await this.counters.hit(`lockout:${source}`, ms);
    });
  }

  async forgetFailures(source: string): Promise<void> {
    await this.orElse(undefined, () => this.counters.reset(`failures:${source}`));
  }

  private async orElse<Value>(fallback: Value, attempt: () => Promise<Value>): Promise<Value> {
    try {
      return await attempt();
    } catch (error) {
      this.logger.error(
        { err: error },
        'failed sign-ins cannot be counted; sign-ins go on without brute-force protection',
      );
      return fallback;
    }
  }
}
