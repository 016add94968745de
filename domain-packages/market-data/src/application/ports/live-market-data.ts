import type { Kline, KlineInterval } from '../../domain/kline.js';
import type { Ticker } from '../../domain/ticker.js';

/**
 * Market data as it happens, for subscriptions. Iterators end when the caller
 * returns them (the client unsubscribed) or when the service stops.
 */
export interface LiveMarketData {
  tickers(symbols: readonly string[]): AsyncIterableIterator<Ticker>;
  klines(symbol: string, interval: KlineInterval): AsyncIterableIterator<Kline>;
}
