import { describe, expect, it } from '@jest/globals';
import {
  applyTick,
  bucketStart,
  type Kline,
  type KlineInterval,
  parseKlineInterval,
} from './kline.js';
import type { PriceTick } from './price-tick.js';

const tick = (time: string, price: string, quantity: string): PriceTick => ({
  symbol: 'BTC-USDT',
  price,
  quantity,
  time: new Date(time),
});

const fold = (interval: KlineInterval, ticks: readonly PriceTick[]): Kline[] => {
  const klines: Kline[] = [];
  for (const t of ticks) {
    const current = klines.at(-1);
    const next = applyTick(current, interval, t);
    if (current && next.openTime.getTime() === current.openTime.getTime())
      klines[klines.length - 1] = next;
    else klines.push(next);
  }
  return klines;
};

describe('klines', () => {
  const ticks = [
    tick('2026-01-14T15:00:05.000Z', '100.00', '1.5'),
    tick('2026-01-14T15:00:20.000Z', '103.50', '0.25'),
    tick('2026-01-14T15:00:40.000Z', '99.25', '2'),
    tick('2026-01-14T15:00:59.999Z', '101.10', '0.1'),
    tick('2026-01-14T15:01:00.000Z', '101.20', '3'),
  ];

  it('computes open, high, low, close and volumes of the ticks in each minute', () => {
    const [first, second] = fold('1m', ticks);
    expect(first).toEqual({
      symbol: 'BTC-USDT',
      interval: '1m',
      openTime: new Date('2026-01-14T15:00:00.000Z'),
      closeTime: new Date('2026-01-14T15:00:59.999Z'),
      open: '100.00',
      high: '103.50',
      low: '99.25',
      close: '101.10',
      volume: '3.85',
      // 150 + 25.875 + 198.5 + 10.11
      quoteVolume: '384.485',
      trades: 4,
    });
    expect(second).toMatchObject({
      open: '101.20',
      high: '101.20',
      low: '101.20',
      close: '101.20',
      volume: '3',
      trades: 1,
    });
  });

  it('puts all the ticks of the hour into one 1h candle', () => {
    const [hour] = fold('1h', ticks);
    expect(hour).toMatchObject({
      open: '100.00',
      high: '103.50',
      low: '99.25',
      close: '101.20',
      volume: '6.85',
      trades: 5,
    });
    expect(hour?.openTime).toEqual(new Date('2026-01-14T15:00:00.000Z'));
    expect(hour?.closeTime).toEqual(new Date('2026-01-14T15:59:59.999Z'));
  });

  it('sums volumes exactly, without binary float error', () => {
    const [candle] = fold('1s', [
      tick('2026-01-14T15:00:00.100Z', '1', '0.1'),
      tick('2026-01-14T15:00:00.200Z', '1', '0.2'),
    ]);
    expect(candle?.volume).toBe('0.3');
  });

  it('aligns buckets to UTC: 4h candles start at 00, 04, 08 … and 1d at midnight UTC', () => {
    expect(bucketStart('4h', new Date('2026-01-14T15:42:00Z'))).toEqual(
      new Date('2026-01-14T12:00:00Z'),
    );
    expect(bucketStart('1d', new Date('2026-01-14T23:59:59Z'))).toEqual(
      new Date('2026-01-14T00:00:00Z'),
    );
    expect(bucketStart('15m', new Date('2026-01-14T15:44:59Z'))).toEqual(
      new Date('2026-01-14T15:30:00Z'),
    );
  });

  it('rejects an interval it does not know with BAD_USER_INPUT', () => {
    expect(parseKlineInterval('5m')).toBe('5m');
    expect(() => parseKlineInterval('2m')).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
  });
});
