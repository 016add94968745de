import type { PriceTick } from '../../domain/price-tick.js';

export type TickListener = (tick: PriceTick) => void;

/**
 * Where prices come from: a simulator, or a real venue's stream. A feed only
 * observes the market; publishing what it sees is the application's job.
 */
export interface PriceFeed {
  /** Starts streaming ticks to `onTick`; resolves once the feed is running. */
  start(onTick: TickListener): Promise<void>;
  /** Stops streaming and releases timers and connections. */
  stop(): Promise<void>;
  /**
   * False while the feed cannot see the market (a venue's stream disconnected or
   * silent): the last prices stand, but clients are told they are stale.
   */
  isLive(): boolean;
}
