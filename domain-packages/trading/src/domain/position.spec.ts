import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { applyFill, FLAT, type PositionFill, valuePosition } from './position.js';
import { minus, plus, signedDecimalText, ZERO } from './signed-decimal.js';

const buy = (quantity: string, price: string, fee = '0'): PositionFill => ({
  side: 'buy',
  quantity,
  price,
  fee,
});
const sell = (quantity: string, price: string, fee = '0'): PositionFill => ({
  side: 'sell',
  quantity,
  price,
  fee,
});

/** given(fills).whenValuedAt(price).then(valuation), USDT's six decimals. */
const given = (...fills: PositionFill[]) => ({
  whenValuedAt: (lastPrice: string) => ({
    then: (expected: Partial<ReturnType<typeof valuePosition>>) =>
      expect(valuePosition(fills.reduce(applyFill, FLAT), lastPrice, 6)).toMatchObject(expected),
  }),
});

describe('a position by the average-cost method, fees in the cost', () => {
  it('costs what the buys paid, fees included, and gains what the price moved above that', () => {
    // 0.01 BTC at 90,000 with a 0.9 USDT fee: 900.9 USDT, 90,090 each.
    given(buy('0.01000', '90000.00', '0.900000'))
      .whenValuedAt('91000.00')
      .then({
        quantity: '0.01000',
        averageCost: '90090.000000',
        costBasis: '900.900000',
        marketValue: '910.000000',
        unrealisedPnl: '9.100000',
        realisedPnl: '0.000000',
      });
  });

  it('averages two buys at different prices', () => {
    given(buy('1', '100'), buy('3', '200'))
      .whenValuedAt('150')
      .then({ averageCost: '175.000000', marketValue: '600.000000', unrealisedPnl: '-100.000000' });
  });

  it('realises a partial sell at the average cost, its fee taken off the proceeds', () => {
    given(buy('2', '100', '2'), sell('1', '130', '1.3'))
      .whenValuedAt('120')
      .then({
        quantity: '1',
        // The remaining unit keeps its share of the cost: 101.
        averageCost: '101.000000',
        costBasis: '101.000000',
        // 128.7 received for a unit that cost 101.
        realisedPnl: '27.700000',
        unrealisedPnl: '19.000000',
      });
  });

  it('is flat and fully realised after selling everything it bought', () => {
    given(buy('0.5', '100'), buy('0.5', '110'), sell('1', '90')).whenValuedAt('500').then({
      averageCost: null,
      costBasis: '0.000000',
      marketValue: '0.000000',
      unrealisedPnl: '0.000000',
      realisedPnl: '-15.000000',
    });
  });

  it('shows selling more than it bought as a short, which gains as the price falls', () => {
    given(buy('1', '100'), sell('3', '120')).whenValuedAt('110').then({
      quantity: '-2',
      averageCost: '120.000000',
      marketValue: '-220.000000',
      realisedPnl: '20.000000',
      unrealisedPnl: '20.000000',
    });
  });

  it('keeps a cost that does not divide evenly exact, rounding only what it shows', () => {
    given(buy('3', '1'), sell('1', '1'), sell('1', '1'), sell('1', '1'))
      .whenValuedAt('1')
      .then({ costBasis: '0.000000', realisedPnl: '0.000000' });
  });

  it('never creates or loses money: what is still open less what was realised is the cash that moved', () => {
    const fill = fc.record({
      side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
      lots: fc.integer({ min: 1, max: 10_000 }),
      ticks: fc.integer({ min: 1, max: 1_000_000 }),
      feeUnits: fc.integer({ min: 0, max: 1000 }),
    });
    fc.assert(
      fc.property(fc.array(fill, { maxLength: 30 }), (fills) => {
        const at = (units: number, scale: number) =>
          signedDecimalText({ units: BigInt(units), scale });
        const position = fills
          .map(({ side, lots, ticks, feeUnits }) => ({
            side,
            quantity: at(lots, 3),
            price: at(ticks, 2),
            fee: at(feeUnits, 3),
          }))
          .reduce(applyFill, FLAT);
        // A buy pays notional + fee; a sell receives notional − fee.
        const cashPaid = fills
          .map(({ side, lots, ticks, feeUnits }) => {
            const notional = BigInt(lots) * BigInt(ticks);
            return plus(
              { units: side === 'buy' ? notional : -notional, scale: 5 },
              { units: BigInt(feeUnits), scale: 3 },
            );
          })
          .reduce(plus, ZERO);
        expect(minus(minus(position.costBasis, position.realisedPnl), cashPaid).units).toBe(0n);
      }),
    );
  });
});
