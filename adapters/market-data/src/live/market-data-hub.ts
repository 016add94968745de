import type {
  Kline,
  KlineInterval,
  LiveMarketData,
  RecordedPriceTick,
  Ticker,
} from '@simple-securities/market-data';
import { LatestByKeyBuffer } from './latest-by-key-buffer.js';

/** A candle subscriber may lag by this many candles before the oldest forming one is skipped. */
const KLINE_BUFFER = 8;

/**
 * Fans recorded ticks out to this process's subscribers. Each subscriber has
 * its own bounded buffer, so a slow client only ever delays itself: for prices
 * it gets the latest ticker of each symbol; for candles the latest state of
 * each candle (a finished candle's final state is not overwritten by the next).
 */
export class MarketDataHub implements LiveMarketData {
  private readonly tickerSubscribers = new Map<string, Set<LatestByKeyBuffer<string, Ticker>>>();
  private readonly klineSubscribers = new Map<string, Set<LatestByKeyBuffer<number, Kline>>>();

  publish({ klines, ticker }: RecordedPriceTick): void {
    for (const subscriber of this.tickerSubscribers.get(ticker.symbol) ?? []) {
      subscriber.push(ticker.symbol, ticker);
    }
    for (const kline of klines) {
      for (const subscriber of this.klineSubscribers.get(klineKey(kline.symbol, kline.interval)) ??
        []) {
        subscriber.push(kline.openTime.getTime(), kline);
      }
    }
  }

  tickers(symbols: readonly string[]): AsyncIterableIterator<Ticker> {
    const buffer: LatestByKeyBuffer<string, Ticker> = new LatestByKeyBuffer(symbols.length, () => {
      for (const symbol of symbols) leave(this.tickerSubscribers, symbol, buffer);
    });
    for (const symbol of symbols) join(this.tickerSubscribers, symbol, buffer);
    return buffer;
  }

  klines(symbol: string, interval: KlineInterval): AsyncIterableIterator<Kline> {
    const key = klineKey(symbol, interval);
    const buffer: LatestByKeyBuffer<number, Kline> = new LatestByKeyBuffer(KLINE_BUFFER, () =>
      leave(this.klineSubscribers, key, buffer),
    );
    join(this.klineSubscribers, key, buffer);
    return buffer;
  }

  get subscriberCount(): number {
    const count = (map: Map<string, Set<unknown>>) =>
      new Set([...map.values()].flatMap((set) => [...set])).size;
    return count(this.tickerSubscribers) + count(this.klineSubscribers);
  }

  /** Ends every subscription: the service is stopping. */
  close(): void {
    for (const set of [...this.tickerSubscribers.values(), ...this.klineSubscribers.values()]) {
      for (const subscriber of [...set]) subscriber.close();
    }
  }
}

const klineKey = (symbol: string, interval: KlineInterval) => `${symbol}@${interval}`;

const join = <T>(map: Map<string, Set<T>>, key: string, subscriber: T) => {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(subscriber);
};

const leave = <T>(map: Map<string, Set<T>>, key: string, subscriber: T) => {
  const set = map.get(key);
  set?.delete(subscriber);
  if (set?.size === 0) map.delete(key);
};
