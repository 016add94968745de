import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { defineInstrument, exactDecimal } from './instrument.js';
import { exactNotional, meetsMinNotional, settleTrade } from './notional.js';
import { sampleBtcUsdt, sampleAapl } from './sample-instruments.js';

const btcUsdt = sampleBtcUsdt;
const aapl = sampleAapl;
const fees = { maker: exactDecimal('0.0002'), taker: exactDecimal('0.001') };

describe('notional', () => {
  it('is exact in quote minor units even when it has more decimals than the quote asset', () => {
    // 65,432.17 USDT × 0.00123 BTC = 80.4815691 USDT = 80,481,569.1 micro-USDT
    expect(exactNotional(btcUsdt, 6_543_217, 123)).toEqual({
      numerator: 804_815_691n,
      denominator: 10n,
    });
    // 189.99 USD × 7 shares = 1,329.93 USD = 132,993 cents, nothing to round
    expect(exactNotional(aapl, 18_999, 7)).toEqual({ numerator: 132_993n, denominator: 1n });
  });

  it('checks the minimum notional exactly', () => {
    // 50,000.00 × 0.0001 = 5 USDT exactly: allowed; one lot less is not
    expect(meetsMinNotional(btcUsdt, 5_000_000, 10)).toBe(true);
    expect(meetsMinNotional(btcUsdt, 5_000_000, 9)).toBe(false);
  });
});

describe('settling a trade', () => {
  it('the buyer pays up, the seller receives down, the platform keeps fees and the residue', () => {
    // the buyer took: taker fee 0.1% on 80,481,569.1 = 80,481.5691 → 80,482
    // the seller made: maker fee 0.02% = 16,096.31382 → 16,097
    expect(
      settleTrade(btcUsdt, { price: 6_543_217, quantity: 123, takerSide: 'buy' }, fees),
    ).toEqual({
      baseQuantity: 123_000n, // 0.00123 BTC in satoshi
      buyerPays: 80_481_570n + 80_482n,
      buyerFee: 80_482n,
      sellerReceives: 80_481_569n - 16_097n,
      sellerFee: 16_097n,
      platformReceives: 80_482n + 16_097n + 1n,
    });
  });

  it('charges the taker rate to whichever side took', () => {
    // ETH-BTC: 0.05321 BTC × 0.0037 ETH = 19,687.7 satoshi; the seller took
    const ethBtc = defineInstrument({
      symbol: 'ETH-BTC',
      baseAsset: 'ETH',
      baseScale: 18,
      quoteAsset: 'BTC',
      quoteScale: 8,
      tickSize: '0.00001',
      lotSize: '0.0001',
      minNotional: '0.0001',
    });
    const settled = settleTrade(ethBtc, { price: 5_321, quantity: 37, takerSide: 'sell' }, fees);
    expect(settled).toMatchObject({
      buyerPays: 19_692n,
      buyerFee: 4n,
      sellerReceives: 19_667n,
      sellerFee: 20n,
    });
    expect(settled.baseQuantity).toBe(37n * 10n ** 14n);
  });

  it('moves whole cents unchanged when nothing needs rounding', () => {
    const settled = settleTrade(
      aapl,
      { price: 18_999, quantity: 7, takerSide: 'sell' },
      {
        maker: exactDecimal('0'),
        taker: exactDecimal('0'),
      },
    );
    expect(settled).toMatchObject({
      buyerPays: 132_993n,
      sellerReceives: 132_993n,
      platformReceives: 0n,
    });
  });

  it('never creates or destroys money, and never rounds against the platform', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom('buy' as const, 'sell' as const),
        (price, quantity, takerSide) => {
          const settled = settleTrade(btcUsdt, { price, quantity, takerSide }, fees);
          const { numerator, denominator } = exactNotional(btcUsdt, price, quantity);
          expect(settled.buyerPays).toBe(settled.sellerReceives + settled.platformReceives);
          expect(settled.buyerPays * denominator).toBeGreaterThanOrEqual(numerator);
          expect(settled.sellerReceives * denominator).toBeLessThanOrEqual(numerator);
          expect(settled.sellerReceives).toBeGreaterThanOrEqual(0n);
        },
      ),
    );
  });
});

describe('an instrument', () => {
  it('refuses a lot finer than the base asset and sizes that are not plain decimals', () => {
    const definition = {
      symbol: 'X-USD',
      baseAsset: 'X',
      baseScale: 2,
      quoteAsset: 'USD',
      quoteScale: 2,
      tickSize: '0.01',
      lotSize: '0.001',
      minNotional: '1',
    };
    expect(() => defineInstrument(definition)).toThrow(/finer than the base asset/);
    expect(() => defineInstrument({ ...definition, lotSize: '1e-3' })).toThrow(
      /not a plain decimal/,
    );
  });
});
