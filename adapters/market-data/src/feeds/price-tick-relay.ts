import type { PriceTick } from '@simple-securities/market-data';
import type { Logger } from 'pino';

/** Ticks waiting for the bus beyond this are dropped (oldest first) rather than exhausting memory. */
const MAX_PENDING = 10_000;

/**
 * Carries ticks from a feed, which cannot wait, to the bus, which can be slow:
 * ticks that arrive while a publish is in flight go out together in the next
 * one, in arrival order, so each symbol's ticks stay ordered.
 */
export class PriceTickRelay {
  private pending: PriceTick[] = [];
  private inFlight: Promise<void> | undefined;
  private droppedSinceWarning = 0;

  constructor(
    private readonly publish: (ticks: readonly PriceTick[]) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  readonly accept = (tick: PriceTick): void => {
    this.pending.push(tick);
    if (this.pending.length > MAX_PENDING) {
      this.pending.shift();
      this.droppedSinceWarning += 1;
    }
    this.inFlight ??= this.drain();
  };

  /** Resolves once everything accepted so far is on the bus. */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        try {
          await this.publish(batch);
        } catch (error) {
          this.logger.error(
            { err: error, ticks: batch.length },
            'could not publish price ticks to the bus; they are lost',
          );
        }
        if (this.droppedSinceWarning > 0) {
          this.logger.warn(
            { dropped: this.droppedSinceWarning },
            'the bus fell behind the price feed; oldest ticks were dropped',
          );
          this.droppedSinceWarning = 0;
        }
      }
    } finally {
      this.inFlight = undefined;
    }
  }
}
