import { describe, expect, it } from '@jest/globals';
import { applyTick, type Kline } from './kline.js';
import type { PriceTick } from './price-tick.js';
import { dayWindowOf, tickerOf } from './ticker.js';

const tick = (time: string, price: string, quantity = '1'): PriceTick => ({
  symbol: 'ETH-USDT',
  price,
  quantity,
  time: new Date(time),
});

const minute = (t: PriceTick): Kline => applyTick(undefined, '1m', t);

describe('24-hour ticker', () => {
  const history = [
    minute(tick('2026-01-13T14:59:30Z', '90.00', '50')), // more than 24 h before 15:01: outside
    minute(tick('2026-01-13T15:02:10Z', '100.00', '2')),
    minute(tick('2026-01-14T03:00:00Z', '120.00', '1')),
    minute(tick('2026-01-14T09:00:00Z', '95.00', '4')),
  ];

  it('measures change, high, low and volume over the minutes of the last 24 hours', () => {
    const last = tick('2026-01-14T15:01:30Z', '110.00', '3');
    const window = dayWindowOf(new Date('2026-01-14T15:01:00Z'), history);
    const ticker = tickerOf(window, minute(last), last);
    expect(ticker).toEqual({
      symbol: 'ETH-USDT',
      lastPrice: '110.00',
      lastQuantity: '3',
      time: last.time,
      openPrice: '100.00',
      highPrice: '120.00',
      lowPrice: '95.00',
      volume: '10',
      quoteVolume: '1030', // 200 + 120 + 380 + 330
      priceChange: '10',
      priceChangePercent: '10.00',
      trades: 4,
    });
  });

  it('uses the current minute alone when nothing traded before it', () => {
    const only = tick('2026-01-14T15:01:30Z', '2000.00');
    const ticker = tickerOf(dayWindowOf(new Date('2026-01-14T15:01:00Z'), []), minute(only), only);
    expect(ticker).toMatchObject({
      openPrice: '2000.00',
      priceChange: '0',
      priceChangePercent: '0.00',
      trades: 1,
    });
  });

  it('rounds the percentage half up to two places', () => {
    const first = tick('2026-01-14T15:00:10Z', '3.00');
    const last = tick('2026-01-14T15:01:10Z', '2.99');
    const window = dayWindowOf(new Date('2026-01-14T15:01:00Z'), [minute(first)]);
    expect(tickerOf(window, minute(last), last).priceChangePercent).toBe('-0.33');
  });
});
