import { DomainError } from '@simple-securities/shared-kernel';
import type { Instrument } from '../../domain/instrument.js';
import type { InstrumentCatalog } from '../../domain/instrument-catalog.js';
import { type Kline, parseKlineInterval } from '../../domain/kline.js';
import type { Ticker } from '../../domain/ticker.js';
import type { LiveMarketData } from '../ports/live-market-data.js';

/** One subscription watches a watchlist, not the whole market. */
export const MAX_WATCHED_SYMBOLS = 50;

interface Deps {
  readonly catalog: InstrumentCatalog<Instrument>;
  readonly live: LiveMarketData;
}

/** Last price, time and 24-hour change of each listed symbol, whenever it trades. */
export const watchPriceTicks =
  (deps: Deps) =>
  (symbols: readonly string[]): AsyncIterableIterator<Ticker> => {
    if (symbols.length === 0 || symbols.length > MAX_WATCHED_SYMBOLS) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `List from 1 to ${MAX_WATCHED_SYMBOLS} symbols, got ${symbols.length}.`,
      );
    }
    const known = [...new Set(symbols.map((symbol) => deps.catalog.get(symbol).symbol))];
    return deps.live.tickers(known);
  };

/** The forming candle of one symbol and interval, on every change. */
export const watchKlines =
  (deps: Deps) =>
  (symbol: string, interval: string): AsyncIterableIterator<Kline> =>
    deps.live.klines(deps.catalog.get(symbol).symbol, parseKlineInterval(interval));
