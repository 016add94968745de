import {
  absolute,
  dividedBy,
  minus,
  negated,
  plus,
  roundedTo,
  share,
  sign,
  type SignedDecimal,
  signedDecimal,
  signedDecimalText,
  times,
  unitsAt,
  ZERO,
} from './signed-decimal.js';

/**
 * What a user's fills in one instrument add up to, by the average-cost method with fees
 * in the cost. `costBasis` is the cash the open quantity took: what a long cost, fees
 * included, or minus what a short brought in, fees taken off. A fill in the position's
 * direction adds to both; a fill against it closes part of the position at its average
 * cost, and realises the difference. Only fills count: funds deposited into a wallet have
 * no known cost, so selling more than this user bought shows as a short position.
 * Every amount is exact; nothing is rounded until it is shown.
 */
export interface Position {
  /** Base quantity: above zero long, below zero short. */
  readonly quantity: SignedDecimal;
  readonly costBasis: SignedDecimal;
  readonly realisedPnl: SignedDecimal;
}

export const FLAT: Position = { quantity: ZERO, costBasis: ZERO, realisedPnl: ZERO };

/** One execution of one of the user's orders, as decimal strings; the fee is in the quote asset. */
export interface PositionFill {
  readonly side: 'buy' | 'sell';
  readonly quantity: string;
  readonly price: string;
  readonly fee: string;
}

export const applyFill = (position: Position, fill: PositionFill): Position => {
  const quantity = signedDecimal(fill.quantity);
  const notional = times(signedDecimal(fill.price), quantity);
  const fee = signedDecimal(fill.fee);
  // A buy pays the notional and its fee; a sell receives the notional less its fee.
  const [delta, cash] =
    fill.side === 'buy'
      ? [quantity, plus(notional, fee)]
      : [negated(quantity), negated(minus(notional, fee))];
  const held = position.quantity;
  if (sign(held) === 0n || sign(held) === sign(delta))
    return {
      quantity: plus(held, delta),
      costBasis: plus(position.costBasis, cash),
      realisedPnl: position.realisedPnl,
    };
  // Quantities in common units, so the shares below are exact ratios of them.
  const scale = Math.max(held.scale, delta.scale);
  const heldUnits = unitsAt(absolute(held), scale);
  const fillUnits = unitsAt(absolute(delta), scale);
  const closingUnits = heldUnits < fillUnits ? heldUnits : fillUnits;
  const closedCost = share(position.costBasis, closingUnits, heldUnits);
  const closingCash = share(cash, closingUnits, fillUnits);
  // Closing a long: received (−cash) less what it cost; a short: the reverse, same sum.
  const realised = negated(plus(closingCash, closedCost));
  return {
    quantity: plus(held, delta),
    // Past zero, the rest of the fill opens the other way at its own price.
    costBasis: plus(minus(position.costBasis, closedCost), minus(cash, closingCash)),
    realisedPnl: plus(position.realisedPnl, realised),
  };
};

/** A position valued at a price, shown at `moneyScale` decimals (the quote asset's). */
export interface PositionValuation {
  readonly quantity: string;
  /** Cost per unit held; null when flat. */
  readonly averageCost: string | null;
  readonly costBasis: string;
  readonly marketValue: string;
  readonly unrealisedPnl: string;
  readonly realisedPnl: string;
}

export const valuePosition = (
  position: Position,
  lastPrice: string,
  moneyScale: number,
): PositionValuation => {
  const marketValue = times(position.quantity, signedDecimal(lastPrice));
  const shown = (value: SignedDecimal) => signedDecimalText(roundedTo(value, moneyScale));
  return {
    quantity: signedDecimalText(position.quantity),
    averageCost:
      sign(position.quantity) === 0n
        ? null
        : signedDecimalText(
            dividedBy(absolute(position.costBasis), absolute(position.quantity), moneyScale),
          ),
    costBasis: shown(position.costBasis),
    marketValue: shown(marketValue),
    unrealisedPnl: shown(minus(marketValue, position.costBasis)),
    realisedPnl: shown(position.realisedPnl),
  };
};
