import type { Stock } from '../../domain/instrument.js';
import { type MarketState, marketStatus } from '../../domain/trading-calendar.js';

export interface SessionStatus {
  readonly state: MarketState;
  /** Null when nothing is scheduled: the market is kept open around the clock. */
  readonly nextOpen: Date | null;
  readonly nextClose: Date | null;
}

/**
 * Whether a stock trades right now. `alwaysOpen` ignores the calendar, for demos
 * and tests that need stock prices outside New York's trading hours.
 */
export const getMarketStatus =
  (deps: { alwaysOpen: boolean }) =>
  (stock: Stock, at: Date): SessionStatus =>
    deps.alwaysOpen
      ? { state: 'OPEN', nextOpen: null, nextClose: null }
      : marketStatus(stock.calendar, at);
