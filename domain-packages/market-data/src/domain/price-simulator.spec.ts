import { describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import { CRYPTO_PAIRS, STOCKS } from './instrument-catalog.js';
import { isOnTick, isWholeLots } from './instrument.js';
import { PriceSimulator } from './price-simulator.js';

const instruments = [...CRYPTO_PAIRS, ...STOCKS];
const start = Date.parse('2026-01-14T15:00:00Z');

const run = (seed: number, steps: number, symbol = 'BTC-USDT') => {
  const simulator = new PriceSimulator(instruments, seed);
  return Array.from({ length: steps }, (_, i) =>
    simulator.step(symbol, 1, new Date(start + i * 1000)),
  );
};

describe('price simulator (geometric Brownian motion)', () => {
  it('is deterministic for a seed', () => {
    expect(run(42, 200)).toEqual(run(42, 200));
    expect(run(42, 50)).not.toEqual(run(43, 50));
  });

  it('gives each symbol its own stream, unaffected by stepping others', () => {
    const alone = run(7, 20, 'ETH-USDT');
    const simulator = new PriceSimulator(instruments, 7);
    const interleaved = [];
    for (let i = 0; i < 20; i += 1) {
      simulator.step('BTC-USDT', 1, new Date(start + i * 1000));
      interleaved.push(simulator.step('ETH-USDT', 1, new Date(start + i * 1000)));
    }
    expect(interleaved).toEqual(alone);
  });

  it('emits prices on the tick grid and quantities in whole lots', () => {
    const simulator = new PriceSimulator(instruments, 1);
    for (const instrument of instruments) {
      for (let i = 0; i < 50; i += 1) {
        const tick = simulator.step(instrument.symbol, 1, new Date(start + i * 1000));
        expect(isOnTick(instrument, tick.price)).toBe(true);
        expect(isWholeLots(instrument, tick.quantity)).toBe(true);
        expect(new Decimal(tick.quantity).gte(instrument.lotSize)).toBe(true);
        expect(tick.price).toMatch(/^\d+\.\d+$|^\d+$/);
      }
    }
  });

  it('moves about as much as the instrument’s volatility says', () => {
    // One simulated day in one-minute steps: the daily log return of BTC (σ 55 %/year)
    // has a standard deviation near 0.55/√365 ≈ 2.9 %; over many seeds the mean absolute
    // return is σ·√(2/π) ≈ 2.3 %. Accept a generous band.
    const returns = Array.from({ length: 200 }, (_, seed) => {
      const simulator = new PriceSimulator(instruments, seed);
      let last = '0';
      for (let i = 0; i < 1440; i += 1)
        last = simulator.step('BTC-USDT', 60, new Date(start + i * 60_000)).price;
      return Math.abs(Math.log(Number(last) / 91_000));
    });
    const meanAbs = returns.reduce((a, b) => a + b, 0) / returns.length;
    expect(meanAbs).toBeGreaterThan(0.015);
    expect(meanAbs).toBeLessThan(0.032);
  });
});
