import { applyTick, bucketStart, type Kline, KLINE_INTERVALS } from '../../domain/kline.js';
import type { PriceTick } from '../../domain/price-tick.js';
import { DAY_MILLISECONDS, dayWindowOf, type Ticker, tickerOf } from '../../domain/ticker.js';
import type { PriceTickProjectionStore } from '../ports/market-data-store.js';

export interface RecordedPriceTick {
  /** The candle of every interval that the tick went into, as it now stands. */
  readonly klines: readonly Kline[];
  readonly ticker: Ticker;
}

/**
 * Folds one tick into the symbol's candles of every interval and its 24-hour
 * ticker. Runs inside the consumer's transaction, so a redelivered tick (after
 * a rollback) starts again from what is stored and nothing is counted twice.
 */
export const recordPriceTick =
  (store: PriceTickProjectionStore) =>
  async (tick: PriceTick): Promise<RecordedPriceTick> => {
    const buckets = KLINE_INTERVALS.map((interval) => ({
      interval,
      openTime: bucketStart(interval, tick.time),
    }));
    const [stored, previous] = await Promise.all([
      store.klinesAt(tick.symbol, buckets),
      store.tickerState(tick.symbol),
    ]);
    const klines = KLINE_INTERVALS.map((interval) =>
      applyTick(
        stored.find((kline) => kline.interval === interval),
        interval,
        tick,
      ),
    );
    // A straggler behind the latest tick still belongs in its candles, but the ticker stays as it is.
    if (previous && tick.time < previous.ticker.time) {
      await store.save(klines, previous);
      return { klines, ticker: previous.ticker };
    }
    const minute = klines[KLINE_INTERVALS.indexOf('1m')] as Kline;

    const window =
      previous && previous.window.minute.getTime() === minute.openTime.getTime()
        ? previous.window
        : dayWindowOf(
            minute.openTime,
            await store.minutes(
              tick.symbol,
              new Date(minute.openTime.getTime() - DAY_MILLISECONDS),
              minute.openTime,
            ),
          );
    const ticker = tickerOf(window, minute, tick);
    await store.save(klines, { ticker, window });
    return { klines, ticker };
  };
