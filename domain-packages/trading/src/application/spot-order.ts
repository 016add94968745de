import { DomainError } from '@simple-securities/shared-kernel';
import { type ExactDecimal, exactDecimal, type Instrument } from '../domain/instrument.js';
import type {
  OrderBookEvent,
  OrderType,
  Side,
  TimeInForce,
} from '../domain/order-book-messages.js';

/**
 * Who placed an order and what it holds, recorded in the book's stream just before the
 * engine's own events for it: the engine knows accounts and lots, not clients' ids or money.
 */
export interface SpotOrderPlaced {
  readonly type: 'SpotOrderPlaced';
  readonly orderId: string;
  readonly userId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly orderType: Extract<OrderType, 'limit' | 'market'>;
  readonly timeInForce: TimeInForce;
  /** Lots. */
  readonly quantity: number;
  /** Ticks; null for a market order. */
  readonly price: number | null;
  /** The reservation (id = order id): quote for a buy, base for a sell, in minor units. */
  readonly reservedAsset: string;
  readonly reservedUnits: string;
  readonly placedAt: string;
}

/** Everything a spot order book's stream holds. */
export type SpotBookEvent = SpotOrderPlaced | OrderBookEvent;

/** A client's order as the edge validated it: decimals still as strings. */
export interface SpotOrderRequest {
  readonly userId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly orderType: 'limit' | 'market';
  readonly quantity: string;
  readonly price?: string | undefined;
  readonly timeInForce: TimeInForce;
}

/** `text` as a whole number of `step`s, or BAD_USER_INPUT naming `what`. */
export const wholeSteps = (text: string, step: ExactDecimal, what: string): number => {
  const value = exactDecimal(text);
  // value / step = (value.units · 10^step.scale) / (step.units · 10^value.scale)
  const numerator = value.units * 10n ** BigInt(step.scale);
  const denominator = step.units * 10n ** BigInt(value.scale);
  const steps = numerator / denominator;
  const stepText = formatUnits(step.units, step.scale);
  if (steps * denominator !== numerator)
    throw new DomainError(
      'BAD_USER_INPUT',
      `${what} ${text} is not a whole multiple of ${stepText}.`,
    );
  if (steps <= 0n) throw new DomainError('BAD_USER_INPUT', `${what} must be above zero.`);
  if (steps > BigInt(Number.MAX_SAFE_INTEGER))
    throw new DomainError('BAD_USER_INPUT', `${what} ${text} is too large.`);
  return Number(steps);
};

/** `units × 10^-scale` written out with exactly `scale` decimals: 1234n at 2 is "12.34". */
export const formatUnits = (units: bigint, scale: number): string => {
  const digits = units.toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
};

/** A price in ticks as a decimal at the tick's scale. */
export const priceText = (instrument: Instrument, ticks: number): string =>
  formatUnits(BigInt(ticks) * instrument.tick.units, instrument.tick.scale);

/** A quantity in lots as a decimal at the lot's scale. */
export const quantityText = (instrument: Instrument, lots: number): string =>
  formatUnits(BigInt(lots) * instrument.lot.units, instrument.lot.scale);

/** Base minor units of `lots`. */
export const baseUnitsOf = (instrument: Instrument, lots: number): bigint =>
  BigInt(lots) * instrument.baseUnitsPerLot;
