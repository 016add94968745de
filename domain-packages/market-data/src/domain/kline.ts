import { Decimal } from 'decimal.js';
import { DomainError } from '@simple-securities/shared-kernel';
import type { PriceTick } from './price-tick.js';

/** Candle widths, named as Binance names them. */
export const KLINE_INTERVALS = ['1s', '1m', '5m', '15m', '1h', '4h', '1d'] as const;
export type KlineInterval = (typeof KLINE_INTERVALS)[number];

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const INTERVAL_MILLISECONDS: Readonly<Record<KlineInterval, number>> = {
  '1s': SECOND,
  '1m': MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '1h': HOUR,
  '4h': 4 * HOUR,
  '1d': 24 * HOUR,
};

export const isKlineInterval = (value: string): value is KlineInterval =>
  (KLINE_INTERVALS as readonly string[]).includes(value);

export const parseKlineInterval = (value: string): KlineInterval => {
  if (!isKlineInterval(value)) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `Unknown interval "${value}"; use one of ${KLINE_INTERVALS.join(', ')}.`,
      { interval: value },
    );
  }
  return value;
};

/**
 * Open, high, low, close and volume of the ticks in one interval. Buckets are
 * aligned to the Unix epoch in UTC (a `1d` candle covers a UTC day), and
 * `closeTime` is the bucket's last millisecond, as on Binance.
 */
export interface Kline {
  readonly symbol: string;
  readonly interval: KlineInterval;
  readonly openTime: Date;
  readonly closeTime: Date;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  /** Base quantity traded. */
  readonly volume: string;
  /** Σ price × quantity, in the quote currency. */
  readonly quoteVolume: string;
  readonly trades: number;
}

export const bucketStart = (interval: KlineInterval, time: Date): Date => {
  const width = INTERVAL_MILLISECONDS[interval];
  return new Date(Math.floor(time.getTime() / width) * width);
};

const opened = (interval: KlineInterval, tick: PriceTick): Kline => {
  const openTime = bucketStart(interval, tick.time);
  return {
    symbol: tick.symbol,
    interval,
    openTime,
    closeTime: new Date(openTime.getTime() + INTERVAL_MILLISECONDS[interval] - 1),
    open: tick.price,
    high: tick.price,
    low: tick.price,
    close: tick.price,
    volume: tick.quantity,
    quoteVolume: new Decimal(tick.price).times(tick.quantity).toFixed(),
    trades: 1,
  };
};

/**
 * Folds a tick into the candle it belongs to. `current` is the latest candle of
 * this symbol and interval, if any; a tick past its end starts a new one. Ticks
 * of one symbol arrive in order (the bus keys them by symbol), so the latest
 * tick applied is the close.
 */
export const applyTick = (
  current: Kline | undefined,
  interval: KlineInterval,
  tick: PriceTick,
): Kline => {
  if (!current || tick.time > current.closeTime) return opened(interval, tick);
  const price = new Decimal(tick.price);
  return {
    ...current,
    high: price.gt(current.high) ? tick.price : current.high,
    low: price.lt(current.low) ? tick.price : current.low,
    close: tick.price,
    volume: new Decimal(current.volume).plus(tick.quantity).toFixed(),
    quoteVolume: new Decimal(current.quoteVolume).plus(price.times(tick.quantity)).toFixed(),
    trades: current.trades + 1,
  };
};

export const MAX_KLINE_LIMIT = 1000;
export const DEFAULT_KLINE_LIMIT = 500;
