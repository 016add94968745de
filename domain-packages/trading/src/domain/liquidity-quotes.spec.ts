import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Instrument } from './instrument.js';
import {
  movedBeyond,
  type Quote,
  type QuotingPolicy,
  quoteChanges,
  quotesAround,
  referenceTicksOf,
  type RestingQuote,
} from './liquidity-quotes.js';
import { meetsMinNotional } from './notional.js';
import { sampleBtcUsdt, sampleAapl } from './sample-instruments.js';

const btcUsdt = sampleBtcUsdt;
const aapl = sampleAapl;

const policy: QuotingPolicy = {
  levels: 3,
  spreadBps: 10,
  levelSpacingBps: 10,
  levelNotional: '2000',
};

/** given(instrument, policy).whenTheReferenceIs(price).then(quotes). */
const given = (instrument: Instrument, quoting: QuotingPolicy) => ({
  whenTheReferenceIs: (price: string) => ({
    then: (expected: Quote[]) =>
      expect(quotesAround(instrument, referenceTicksOf(instrument, price), quoting)).toEqual(
        expected,
      ),
  }),
});

describe('the quotes a liquidity provider sets around a reference price', () => {
  it('puts each level the spread, then the spacing, further from the reference, sized by notional', () => {
    // 91,000.00 USDT is 9,100,000 ticks; 10 bps of it is 9,100 ticks (91 USDT).
    // 2,000 USDT buys 0.022 BTC at 90,909 (1,999.998 USDT): 2,200 lots of 0.00001.
    given(btcUsdt, policy)
      .whenTheReferenceIs('91000.00')
      .then([
        { side: 'buy', ticks: 9_090_900, lots: 2_200 },
        { side: 'sell', ticks: 9_109_100, lots: 2_195 },
        { side: 'buy', ticks: 9_081_800, lots: 2_202 },
        { side: 'sell', ticks: 9_118_200, lots: 2_193 },
        { side: 'buy', ticks: 9_072_700, lots: 2_204 },
        { side: 'sell', ticks: 9_127_300, lots: 2_191 },
      ]);
  });

  it('keeps levels at least one tick apart when the basis points round to less than a tick', () => {
    // 10 bps of 1.00 USD is a tenth of a cent: each level is a whole cent away.
    given(aapl, { ...policy, levels: 2 })
      .whenTheReferenceIs('1.00')
      .then([
        { side: 'buy', ticks: 99, lots: 2_020 },
        { side: 'sell', ticks: 101, lots: 1_980 },
        { side: 'buy', ticks: 98, lots: 2_040 },
        { side: 'sell', ticks: 102, lots: 1_960 },
      ]);
  });

  it('sizes a level up to the minimum notional when the configured notional is below it', () => {
    // 5 USDT at 90,909 needs 0.000055 BTC: 6 lots, where 1 USDT would buy 1.
    given(btcUsdt, { ...policy, levels: 1, levelNotional: '1' })
      .whenTheReferenceIs('91000.00')
      .then([
        { side: 'buy', ticks: 9_090_900, lots: 6 },
        { side: 'sell', ticks: 9_109_100, lots: 6 },
      ]);
  });

  it('leaves out a bid that would be at or below zero', () => {
    given(aapl, { ...policy, levels: 2, levelNotional: '1' })
      .whenTheReferenceIs('0.02')
      .then([
        { side: 'buy', ticks: 1, lots: 100 },
        { side: 'sell', ticks: 3, lots: 34 },
        { side: 'sell', ticks: 4, lots: 25 },
      ]);
  });

  it('rounds a reference off the tick grid to the nearest tick, halves up', () => {
    expect(referenceTicksOf(aapl, '275.004')).toBe(27_500);
    expect(referenceTicksOf(aapl, '275.005')).toBe(27_501);
    expect(referenceTicksOf(aapl, '275')).toBe(27_500);
  });

  it('never crosses itself and quotes only orders the book accepts, whatever the reference', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50_000_000 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        (referenceTicks, levels, spreadBps, levelSpacingBps) => {
          const quotes = quotesAround(btcUsdt, referenceTicks, {
            levels,
            spreadBps,
            levelSpacingBps,
            levelNotional: '100',
          });
          const bids = quotes.filter((quote) => quote.side === 'buy').map((quote) => quote.ticks);
          const asks = quotes.filter((quote) => quote.side === 'sell').map((quote) => quote.ticks);
          expect(Math.max(...bids, 0)).toBeLessThan(referenceTicks);
          expect(Math.min(...asks)).toBeGreaterThan(referenceTicks);
          expect(new Set(quotes.map((quote) => `${quote.side}${quote.ticks}`)).size).toBe(
            quotes.length,
          );
          for (const quote of quotes)
            expect(meetsMinNotional(btcUsdt, quote.ticks, quote.lots)).toBe(true);
        },
      ),
    );
  });
});

describe('when a liquidity provider sets its quotes again', () => {
  it('waits until the reference moves strictly more than the threshold from the last anchor', () => {
    // 5 bps of 100,000 ticks is 50 ticks.
    expect(movedBeyond(100_000, 100_050, 5)).toBe(false);
    expect(movedBeyond(100_000, 99_950, 5)).toBe(false);
    expect(movedBeyond(100_000, 100_051, 5)).toBe(true);
    expect(movedBeyond(100_000, 99_949, 5)).toBe(true);
  });

  const resting = (orderId: string, side: Quote['side'], ticks: number, lots: number) =>
    ({ orderId, side, ticks, lots }) satisfies RestingQuote;

  it('given quotes that rest as wanted, when compared, then nothing changes', () => {
    const wanted: Quote[] = [
      { side: 'buy', ticks: 99, lots: 10 },
      { side: 'sell', ticks: 101, lots: 10 },
    ];
    expect(
      quoteChanges([resting('a', 'buy', 99, 10), resting('b', 'sell', 101, 10)], wanted),
    ).toEqual({ cancel: [], place: [] });
  });

  it('given a partly filled quote and a moved price, when compared, then both are replaced', () => {
    const wanted: Quote[] = [
      { side: 'buy', ticks: 100, lots: 10 },
      { side: 'sell', ticks: 101, lots: 10 },
      { side: 'sell', ticks: 102, lots: 10 },
    ];
    expect(
      quoteChanges(
        [resting('a', 'buy', 99, 10), resting('b', 'sell', 101, 4), resting('c', 'sell', 102, 10)],
        wanted,
      ),
    ).toEqual({
      cancel: ['a', 'b'],
      place: [
        { side: 'buy', ticks: 100, lots: 10 },
        { side: 'sell', ticks: 101, lots: 10 },
      ],
    });
  });

  it('given two resting quotes at one wanted price, when compared, then the extra one goes', () => {
    expect(
      quoteChanges(
        [resting('a', 'buy', 99, 10), resting('b', 'buy', 99, 10)],
        [{ side: 'buy', ticks: 99, lots: 10 }],
      ),
    ).toEqual({ cancel: ['b'], place: [] });
  });
});
