import { defineInstrument } from './instrument.js';

/**
 * The two instruments the specs are told in: a crypto pair whose tick times lot has more
 * decimals than its quote asset (0.01 × 0.00001 = 7 places; USDT has 6), and a stock
 * traded in whole shares.
 */
export const sampleBtcUsdt = defineInstrument({
  symbol: 'BTC-USDT',
  baseAsset: 'BTC',
  baseScale: 8,
  quoteAsset: 'USDT',
  quoteScale: 6,
  tickSize: '0.01',
  lotSize: '0.00001',
  minNotional: '5',
});

export const sampleAapl = defineInstrument({
  symbol: 'AAPL',
  baseAsset: 'AAPL',
  baseScale: 0,
  quoteAsset: 'USD',
  quoteScale: 2,
  tickSize: '0.01',
  lotSize: '1',
  minNotional: '1',
});
