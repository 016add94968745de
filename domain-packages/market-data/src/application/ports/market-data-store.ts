import type { Kline, KlineInterval } from '../../domain/kline.js';
import type { DayWindow, Ticker } from '../../domain/ticker.js';

/** A ticker with the window it was computed from, so the next tick need not re-read the day. */
export interface TickerState {
  readonly ticker: Ticker;
  readonly window: DayWindow;
}

/** The write side of the market-data read model; one instance works inside one transaction. */
export interface PriceTickProjectionStore {
  /** The stored candles of `symbol` that open at the given times, if any. */
  klinesAt(
    symbol: string,
    buckets: readonly { interval: KlineInterval; openTime: Date }[],
  ): Promise<Kline[]>;
  tickerState(symbol: string): Promise<TickerState | undefined>;
  /** One-minute candles opening in [from, to), oldest first. */
  minutes(symbol: string, from: Date, to: Date): Promise<Kline[]>;
  save(klines: readonly Kline[], state: TickerState): Promise<void>;
}

export interface KlineQuery {
  readonly symbol: string;
  readonly interval: KlineInterval;
  readonly limit: number;
  /** With `from`: the first `limit` candles opening at or after it; otherwise the latest `limit`. */
  readonly from?: Date | undefined;
  /** Only candles opening at or before it. */
  readonly to?: Date | undefined;
}

export interface MarketDataReadModel {
  /** Oldest first. */
  klines(query: KlineQuery): Promise<Kline[]>;
  ticker(symbol: string): Promise<Ticker | undefined>;
}
