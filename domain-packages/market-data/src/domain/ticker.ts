import { Decimal } from 'decimal.js';
import type { Kline } from './kline.js';
import type { PriceTick } from './price-tick.js';

export const DAY_MILLISECONDS = 24 * 60 * 60 * 1000;

/** Last price and rolling 24-hour statistics of one instrument, as of its latest tick. */
export interface Ticker {
  readonly symbol: string;
  readonly lastPrice: string;
  readonly lastQuantity: string;
  /** When the latest tick happened. */
  readonly time: Date;
  /** The first price of the 24-hour window. */
  readonly openPrice: string;
  readonly highPrice: string;
  readonly lowPrice: string;
  readonly volume: string;
  readonly quoteVolume: string;
  readonly priceChange: string;
  /** Rounded half up to two decimal places, e.g. `-1.25` for −1.25 %. */
  readonly priceChangePercent: string;
  readonly trades: number;
}

/** Sums over a run of one-minute candles. */
export interface MinuteTotals {
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly volume: string;
  readonly quoteVolume: string;
  readonly trades: number;
}

/**
 * The finished part of the 24-hour window behind the current minute: the
 * minutes that started in the 24 hours before `minute`. It is totalled once per
 * minute, so each tick costs the same however busy the day was; the window
 * therefore moves at minute granularity.
 */
export interface DayWindow {
  /** Start of the minute the window leads up to. */
  readonly minute: Date;
  /** Undefined when nothing traded in those 24 hours. */
  readonly finished: MinuteTotals | undefined;
}

const combine = (earlier: MinuteTotals | undefined, later: MinuteTotals): MinuteTotals =>
  earlier
    ? {
        open: earlier.open,
        high: new Decimal(later.high).gt(earlier.high) ? later.high : earlier.high,
        low: new Decimal(later.low).lt(earlier.low) ? later.low : earlier.low,
        volume: new Decimal(earlier.volume).plus(later.volume).toFixed(),
        quoteVolume: new Decimal(earlier.quoteVolume).plus(later.quoteVolume).toFixed(),
        trades: earlier.trades + later.trades,
      }
    : later;

const totalsOf = (kline: Kline): MinuteTotals => ({
  open: kline.open,
  high: kline.high,
  low: kline.low,
  volume: kline.volume,
  quoteVolume: kline.quoteVolume,
  trades: kline.trades,
});

/** `earlierMinutes` are one-minute candles, oldest first; those outside the window are ignored. */
export const dayWindowOf = (minute: Date, earlierMinutes: readonly Kline[]): DayWindow => {
  const from = minute.getTime() - DAY_MILLISECONDS;
  let finished: MinuteTotals | undefined;
  for (const kline of earlierMinutes) {
    const start = kline.openTime.getTime();
    if (start > from && start < minute.getTime()) finished = combine(finished, totalsOf(kline));
  }
  return { minute, finished };
};

/** The ticker after `tick`, which `currentMinute` (its one-minute candle) already includes. */
export const tickerOf = (window: DayWindow, currentMinute: Kline, tick: PriceTick): Ticker => {
  const totals = combine(window.finished, totalsOf(currentMinute));
  const open = new Decimal(totals.open);
  const change = new Decimal(tick.price).minus(open);
  return {
    symbol: tick.symbol,
    lastPrice: tick.price,
    lastQuantity: tick.quantity,
    time: tick.time,
    openPrice: totals.open,
    highPrice: totals.high,
    lowPrice: totals.low,
    volume: totals.volume,
    quoteVolume: totals.quoteVolume,
    priceChange: change.toFixed(),
    priceChangePercent: open.isZero()
      ? '0.00'
      : change.div(open).times(100).toFixed(2, Decimal.ROUND_HALF_UP),
    trades: totals.trades,
  };
};
