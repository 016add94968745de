import {
  type Instrument,
  type PriceFeed,
  PriceSimulator,
  type TickListener,
} from '@simple-securities/market-data';
import type { Clock } from '@simple-securities/shared-kernel';
import { systemClock } from '@simple-securities/shared-kernel';
import { z } from 'zod';

/** The simulator's settings, one definition for every context that simulates prices. */
export const simulatedPriceFeedConfig = {
  /** Same seed, same simulated prices. */
  PRICE_FEED_SEED: z.coerce.number().int().default(1),
  /** Simulated trades per second for each instrument while its market is open. */
  PRICE_TICK_RATE: z.coerce.number().positive().max(100).default(2),
};

export interface SimulatedPriceFeedOptions {
  readonly instruments: readonly Instrument[];
  readonly seed: number;
  /** Ticks per second for each instrument. */
  readonly ticksPerSecond: number;
  /** Whether the instrument's market trades at this instant (stocks follow their calendar). */
  readonly isOpen?: (instrument: Instrument, at: Date) => boolean;
  readonly clock?: Clock;
}

/**
 * The embedded default feed: every instrument that is trading and whose market
 * is open takes one seeded random-walk step per tick interval. A closed market
 * pauses its walk; it resumes from where it stopped.
 */
export class SimulatedPriceFeed implements PriceFeed {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SimulatedPriceFeedOptions) {
    if (!(options.ticksPerSecond > 0)) throw new Error('ticksPerSecond must be positive');
  }

  async start(onTick: TickListener): Promise<void> {
    const {
      instruments,
      seed,
      ticksPerSecond,
      isOpen = () => true,
      clock = systemClock,
    } = this.options;
    const simulator = new PriceSimulator(instruments, seed);
    const stepSeconds = 1 / ticksPerSecond;
    this.timer = setInterval(() => {
      const now = clock.now();
      for (const instrument of instruments) {
        if (instrument.status === 'TRADING' && isOpen(instrument, now)) {
          onTick(simulator.step(instrument.symbol, stepSeconds, now));
        }
      }
    }, 1000 / ticksPerSecond);
  }

  /** A simulator is never cut off from its market. */
  isLive(): boolean {
    return true;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
