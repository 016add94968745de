import { describe, expect, it } from '@jest/globals';
import {
  applyTick,
  type Kline,
  KLINE_INTERVALS,
  type Ticker,
} from '@simple-securities/market-data';
import { MarketDataHub } from './market-data-hub.js';

const tickerAt = (symbol: string, price: string): Ticker => ({
  symbol,
  lastPrice: price,
  lastQuantity: '1',
  time: new Date('2026-01-14T15:00:00Z'),
  openPrice: price,
  highPrice: price,
  lowPrice: price,
  volume: '1',
  quoteVolume: price,
  priceChange: '0',
  priceChangePercent: '0.00',
  trades: 1,
});

const recorded = (symbol: string, price: string, time = '2026-01-14T15:00:00Z') => ({
  ticker: tickerAt(symbol, price),
  klines: KLINE_INTERVALS.map((interval): Kline =>
    applyTick(undefined, interval, { symbol, price, quantity: '1', time: new Date(time) }),
  ),
});

describe('market data hub', () => {
  it('gives a slow subscriber only the latest price of each symbol, in order of change', async () => {
    const hub = new MarketDataHub();
    const slow = hub.tickers(['BTC-USDT', 'ETH-USDT']);
    for (let i = 0; i < 1000; i += 1) hub.publish(recorded('BTC-USDT', `${90000 + i}.00`));
    hub.publish(recorded('ETH-USDT', '3100.00'));
    hub.publish(recorded('SOL-USDT', '140.00'));

    expect((await slow.next()).value).toMatchObject({ symbol: 'BTC-USDT', lastPrice: '90999.00' });
    expect((await slow.next()).value).toMatchObject({ symbol: 'ETH-USDT', lastPrice: '3100.00' });
    await slow.return?.();
  });

  it('never lets a slow subscriber hold back a fast one', async () => {
    const hub = new MarketDataHub();
    const slow = hub.tickers(['BTC-USDT']);
    const fast = hub.tickers(['BTC-USDT']);
    const seen: string[] = [];
    const reading = (async () => {
      for await (const ticker of fast) {
        seen.push(ticker.lastPrice);
        if (seen.length === 3) break;
      }
    })();
    for (const price of ['1.00', '2.00', '3.00']) {
      hub.publish(recorded('BTC-USDT', price));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await reading;
    expect(seen).toEqual(['1.00', '2.00', '3.00']);
    expect((await slow.next()).value?.lastPrice).toBe('3.00');
    await slow.return?.();
  });

  it("keeps a finished candle's final state when the next candle starts, within a bounded buffer", async () => {
    const hub = new MarketDataHub();
    const candles = hub.klines('BTC-USDT', '1m');
    hub.publish(recorded('BTC-USDT', '1.00', '2026-01-14T15:00:10Z'));
    hub.publish(recorded('BTC-USDT', '2.00', '2026-01-14T15:00:50Z'));
    hub.publish(recorded('BTC-USDT', '3.00', '2026-01-14T15:01:05Z'));
    expect((await candles.next()).value).toMatchObject({ close: '2.00' });
    expect((await candles.next()).value).toMatchObject({ close: '3.00' });
    for (let minute = 0; minute < 100; minute += 1) {
      hub.publish(
        recorded('BTC-USDT', '4.00', new Date(Date.UTC(2026, 0, 15, 0, minute)).toISOString()),
      );
    }
    const pending: Kline[] = [];
    const drain = setImmediate(() => candles.return?.());
    for await (const kline of candles) {
      pending.push(kline);
      if (pending.length === 8) break;
    }
    clearImmediate(drain);
    expect(pending.at(-1)?.openTime).toEqual(new Date(Date.UTC(2026, 0, 15, 1, 39)));
  });

  it('forgets subscribers that leave and ends the rest when it closes', async () => {
    const hub = new MarketDataHub();
    const leaving = hub.tickers(['BTC-USDT']);
    const staying = hub.klines('ETH-USDT', '1h');
    await leaving.return?.();
    expect(hub.subscriberCount).toBe(1);
    hub.close();
    expect(await staying.next()).toEqual({ value: undefined, done: true });
    expect(hub.subscriberCount).toBe(0);
  });
});
