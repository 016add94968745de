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
  readonly orderType: OrderType;
  readonly timeInForce: TimeInForce;
  /** Lots. */
  readonly quantity: number;
  /** Ticks; null for a market or stop order. */
  readonly price: number | null;
  /** Trigger price in ticks for a stop or stop-limit order; absent before stops were offered. */
  readonly stopPrice?: number | null;
  /** The reservation (id = order id): quote for a buy, base for a sell, in minor units. */
  readonly reservedAsset: string;
  readonly reservedUnits: string;
  readonly placedAt: string;
}

/**
 * An amendment that raised what an order can cost: the extra is held under its own
 * reservation (core's reservations do not grow), recorded before the amendment it pays for.
 */
export interface SpotOrderReserved {
  readonly type: 'SpotOrderReserved';
  readonly orderId: string;
  readonly reservationId: string;
  readonly reservedUnits: string;
}

/** An amendment that lowered what an order can cost: the difference goes back at once. */
export interface SpotOrderReleased {
  readonly type: 'SpotOrderReleased';
  readonly orderId: string;
  readonly releasedUnits: string;
}

/** What the desk records about money beside the engine's events. */
export type SpotFundsEvent = SpotOrderPlaced | SpotOrderReserved | SpotOrderReleased;

/** Everything a spot order book's stream holds. */
export type SpotBookEvent = SpotFundsEvent | OrderBookEvent;

/** A client's order as the edge validated it: decimals still as strings. */
export interface SpotOrderRequest {
  readonly userId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly quantity: string;
  /** The limit, for limit and stop-limit orders. */
  readonly price?: string | undefined;
  /** The trigger, for stop and stop-limit orders. */
  readonly stopPrice?: string | undefined;
  readonly timeInForce: TimeInForce;
}

/** A change to a resting order as the edge validated it; at least one of the two. */
export interface SpotOrderAmendment {
  readonly userId: string;
  readonly orderId: string;
  /** The new ordered quantity, fills so far included. */
  readonly quantity?: string | undefined;
  readonly price?: string | undefined;
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
