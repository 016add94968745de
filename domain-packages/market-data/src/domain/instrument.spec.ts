import { describe, expect, it } from '@jest/globals';
import { CRYPTO_PAIRS, InstrumentCatalog, STOCKS } from './instrument-catalog.js';
import {
  isOnTick,
  isWholeLots,
  meetsMinNotional,
  roundDownToLot,
  roundToTick,
} from './instrument.js';

const catalog = new InstrumentCatalog([...CRYPTO_PAIRS, ...STOCKS]);
const btc = catalog.get('BTC-USDT');
const doge = catalog.get('doge-usdt');

describe('instruments', () => {
  it('rounds prices to the nearest tick, halves up, keeping the tick’s decimals', () => {
    expect(roundToTick(btc, '91234.5649').toFixed()).toBe('91234.56');
    expect(roundToTick(btc, '91234.565').toFixed()).toBe('91234.57');
    expect(roundToTick(doge, '0.155555').toFixed()).toBe('0.15556');
  });

  it('rounds quantities down to whole lots', () => {
    expect(roundDownToLot(btc, '0.123456789').toFixed()).toBe('0.12345');
    expect(roundDownToLot(doge, '99.99').toFixed()).toBe('99');
  });

  it('checks the tick and lot grids and the minimum notional', () => {
    expect(isOnTick(btc, '100.01')).toBe(true);
    expect(isOnTick(btc, '100.015')).toBe(false);
    expect(isWholeLots(btc, '0.00002')).toBe(true);
    expect(isWholeLots(btc, '0.000025')).toBe(false);
    expect(meetsMinNotional(btc, '100', '0.05')).toBe(true);
    expect(meetsMinNotional(btc, '100', '0.04')).toBe(false);
  });

  it('finds instruments by symbol in any case and rejects unknown ones as BAD_USER_INPUT', () => {
    expect(catalog.get(' aapl ').symbol).toBe('AAPL');
    expect(catalog.find('NOPE')).toBeUndefined();
    expect(() => catalog.get('NOPE')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  it('lists every instrument on its own grid', () => {
    for (const instrument of catalog.instruments) {
      expect(isOnTick(instrument, instrument.referencePrice)).toBe(true);
    }
  });
});
