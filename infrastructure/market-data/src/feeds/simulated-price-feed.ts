import {
  type Instrument,
  type PriceFeed,
  PriceSimulator,
  type TickListener,
} from '@simple-securities/market-data';
import type { Clock } from '@simple-securities/shared-kernel';
import { systemClock } from '@simple-securities/shared-kernel';

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

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
