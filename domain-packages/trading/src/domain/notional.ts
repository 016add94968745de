import type { ExactDecimal, Instrument } from './instrument.js';
import type { Side } from './order-book-messages.js';

/**
 * An amount in quote minor units that may have a fraction of a minor unit:
 * `numerator / denominator`, the denominator a power of ten.
 */
export interface ExactAmount {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

const floorOf = ({ numerator, denominator }: ExactAmount): bigint => numerator / denominator;
const ceilOf = ({ numerator, denominator }: ExactAmount): bigint =>
  (numerator + denominator - 1n) / denominator;

/** price × quantity in quote minor units, exactly: nothing is rounded yet. */
export const exactNotional = (instrument: Instrument, ticks: number, lots: number): ExactAmount => {
  const { tick, lot, quoteScale } = instrument;
  const numerator = BigInt(ticks) * tick.units * BigInt(lots) * lot.units;
  const shift = quoteScale - tick.scale - lot.scale;
  return shift >= 0
    ? { numerator: numerator * 10n ** BigInt(shift), denominator: 1n }
    : { numerator, denominator: 10n ** BigInt(-shift) };
};

/** An order below the instrument's minimum notional is refused at the edge. */
export const meetsMinNotional = (instrument: Instrument, ticks: number, lots: number): boolean => {
  const notional = exactNotional(instrument, ticks, lots);
  return notional.numerator >= instrument.minNotional * notional.denominator;
};

const times = (amount: ExactAmount, rate: ExactDecimal): ExactAmount => ({
  numerator: amount.numerator * rate.units,
  denominator: amount.denominator * 10n ** BigInt(rate.scale),
});

export interface FeeSchedule {
  /** Fractions of the notional, e.g. 0.0002 and 0.001 (use `exactDecimal`). */
  readonly maker: ExactDecimal;
  readonly taker: ExactDecimal;
}

/** Who moves what for one trade, all in minor units; quote amounts balance exactly. */
export interface TradeSettlement {
  /** Base minor units the seller delivers and the buyer receives, never rounded. */
  readonly baseQuantity: bigint;
  readonly buyerPays: bigint;
  readonly buyerFee: bigint;
  readonly sellerReceives: bigint;
  readonly sellerFee: bigint;
  /** Both fees and at most one minor unit of rounding: buyerPays − sellerReceives. */
  readonly platformReceives: bigint;
}

/**
 * Settles one trade in the platform's favour and without creating or destroying money
 * (ADR 0014): the buyer pays the notional rounded up plus its fee rounded up; the seller
 * receives the notional rounded down less its fee rounded up (never below zero); the
 * platform keeps exactly the difference.
 */
export const settleTrade = (
  instrument: Instrument,
  trade: { readonly price: number; readonly quantity: number; readonly takerSide: Side },
  fees: FeeSchedule,
): TradeSettlement => {
  const notional = exactNotional(instrument, trade.price, trade.quantity);
  const buyerRate = trade.takerSide === 'buy' ? fees.taker : fees.maker;
  const sellerRate = trade.takerSide === 'sell' ? fees.taker : fees.maker;
  const buyerFee = ceilOf(times(notional, buyerRate));
  const sellerGross = floorOf(notional);
  const sellerFee = minimum(ceilOf(times(notional, sellerRate)), sellerGross);
  const buyerPays = ceilOf(notional) + buyerFee;
  const sellerReceives = sellerGross - sellerFee;
  return {
    baseQuantity: BigInt(trade.quantity) * instrument.baseUnitsPerLot,
    buyerPays,
    buyerFee,
    sellerReceives,
    sellerFee,
    platformReceives: buyerPays - sellerReceives,
  };
};

const minimum = (a: bigint, b: bigint): bigint => (a < b ? a : b);
