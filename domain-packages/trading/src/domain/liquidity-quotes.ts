import { exactDecimal, type Instrument } from './instrument.js';
import { exactNotional } from './notional.js';
import type { Side } from './order-book-messages.js';

/** How a liquidity provider quotes every book it serves. */
export interface QuotingPolicy {
  /** Price levels on each side. */
  readonly levels: number;
  /** From the reference price to the first level on each side, in basis points. */
  readonly spreadBps: number;
  /** Between two neighbouring levels of one side, in basis points. */
  readonly levelSpacingBps: number;
  /**
   * What each level is worth in the quote asset, a decimal such as "2000": one setting
   * sizes a 91,000 USDT bitcoin and a 0.15 USDT dogecoin alike.
   */
  readonly levelNotional: string;
}

/** One resting limit order a liquidity provider wants in the book, in ticks and lots. */
export interface Quote {
  readonly side: Side;
  readonly ticks: number;
  readonly lots: number;
}

/** A live order of the provider's, as the book holds it: `lots` is what still rests. */
export interface RestingQuote extends Quote {
  readonly orderId: string;
}

const BPS = 10_000n;

/** `ticks × bps / 10 000`, rounded up, and never below one tick. */
const ticksAway = (ticks: number, bps: number): number =>
  Math.max(1, Number((BigInt(ticks) * BigInt(bps) + BPS - 1n) / BPS));

/** A decimal price as whole ticks of the instrument, to the nearest tick (halves up). */
export const referenceTicksOf = (instrument: Instrument, price: string): number => {
  const value = exactDecimal(price);
  const { tick } = instrument;
  const numerator = value.units * 10n ** BigInt(tick.scale);
  const denominator = tick.units * 10n ** BigInt(value.scale);
  return Number((2n * numerator + denominator) / (2n * denominator));
};

/**
 * Lots worth about `levelNotional` at `ticks`, rounded down, but never fewer than the
 * minimum notional (or one lot) needs, so every quote is an order the book accepts.
 */
const lotsAt = (instrument: Instrument, ticks: number, levelNotional: string): number => {
  const perLot = exactNotional(instrument, ticks, 1);
  const wanted = exactDecimal(levelNotional);
  const wantedMinorUnits =
    wanted.scale <= instrument.quoteScale
      ? wanted.units * 10n ** BigInt(instrument.quoteScale - wanted.scale)
      : wanted.units / 10n ** BigInt(wanted.scale - instrument.quoteScale);
  const affordable = (wantedMinorUnits * perLot.denominator) / perLot.numerator;
  const minimum =
    (instrument.minNotional * perLot.denominator + perLot.numerator - 1n) / perLot.numerator;
  const lots = [affordable, minimum, 1n].reduce((most, next) => (next > most ? next : most));
  return Number(lots);
};

/**
 * The quotes around a reference price: `levels` bids below it and `levels` asks above
 * it, the first `spreadBps` away and each next one `levelSpacingBps` further (at least
 * one tick each, so no two levels share a price and no bid reaches an ask). A bid that
 * would be at or below zero is left out.
 */
export const quotesAround = (
  instrument: Instrument,
  referenceTicks: number,
  policy: QuotingPolicy,
): Quote[] => {
  const first = ticksAway(referenceTicks, policy.spreadBps);
  const spacing = ticksAway(referenceTicks, policy.levelSpacingBps);
  const quotes: Quote[] = [];
  for (let level = 0; level < policy.levels; level += 1) {
    const distance = first + level * spacing;
    const bid = referenceTicks - distance;
    const ask = referenceTicks + distance;
    if (bid > 0)
      quotes.push({ side: 'buy', ticks: bid, lots: lotsAt(instrument, bid, policy.levelNotional) });
    quotes.push({ side: 'sell', ticks: ask, lots: lotsAt(instrument, ask, policy.levelNotional) });
  }
  return quotes;
};

/**
 * Whether the reference has moved far enough from the price the quotes were set
 * around (`anchorTicks`) to set them again: strictly more than `thresholdBps`.
 */
export const movedBeyond = (anchorTicks: number, referenceTicks: number, thresholdBps: number) =>
  BigInt(Math.abs(referenceTicks - anchorTicks)) * BPS > BigInt(anchorTicks) * BigInt(thresholdBps);

const sameQuote = (a: Quote, b: Quote) =>
  a.side === b.side && a.ticks === b.ticks && a.lots === b.lots;

/**
 * What turns the resting quotes into the wanted ones: cancel every resting quote that is
 * not wanted as it stands (a partly filled one included, so its level is topped up), and
 * place every wanted one that does not rest yet. Cancels come first, so a new bid never
 * meets an old ask of the provider's own.
 */
export const quoteChanges = (
  resting: readonly RestingQuote[],
  wanted: readonly Quote[],
): { readonly cancel: string[]; readonly place: Quote[] } => {
  const kept = new Set<RestingQuote>();
  const place = wanted.filter((quote) => {
    const match = resting.find((order) => !kept.has(order) && sameQuote(order, quote));
    if (match) kept.add(match);
    return !match;
  });
  return {
    cancel: resting.filter((order) => !kept.has(order)).map((order) => order.orderId),
    place,
  };
};
