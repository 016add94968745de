import { DomainError } from '@simple-securities/shared-kernel';
import { meetsMinNotional } from '../../domain/notional.js';
import type { OrderType } from '../../domain/order-book-messages.js';
import type { OrderBookDesk } from '../order-book-desk.js';
import type { SpotOrderLookup, SpotOrderView } from '../ports.js';
import { type SpotOrderRequest, wholeSteps } from '../spot-order.js';

export interface SpotDesks {
  /** The desk of a listed symbol; BAD_USER_INPUT otherwise. */
  desk(symbol: string): OrderBookDesk;
}

export interface PlaceOrderDependencies {
  readonly desks: SpotDesks;
  readonly orders: SpotOrderLookup;
  readonly newOrderId: () => string;
}

export interface PlacedOrder {
  readonly order: SpotOrderView;
  /** True when this answers a retry with the same client order id: nothing was placed. */
  readonly replayed: boolean;
}

/**
 * Places a spot order: sizes checked against the instrument (whole ticks and lots, the
 * minimum notional for an order with a limit), then the symbol's desk reserves, matches
 * and settles. A retry with the same client order id returns the first order.
 */
export const placeOrder =
  ({ desks, orders, newOrderId }: PlaceOrderDependencies) =>
  async (request: SpotOrderRequest): Promise<PlacedOrder> => {
    const first = await orders.byClientOrderId(request.userId, request.clientOrderId);
    if (first) return { order: first, replayed: true };
    const desk = desks.desk(request.symbol);
    const { instrument } = desk;
    const lots = wholeSteps(request.quantity, instrument.lot, 'quantity');
    const ticks = priceOf(request, 'price', desk);
    const stopTicks = priceOf(request, 'stopPrice', desk);
    if (request.orderType === 'stop' && request.side === 'buy')
      throw new DomainError(
        'BAD_USER_INPUT',
        'A stop buy has no worst price to reserve for; give it a limit as a STOP_LIMIT order.',
      );
    if (ticks !== null && !meetsMinNotional(instrument, ticks, lots))
      throw new DomainError(
        'BAD_USER_INPUT',
        `price × quantity is below the minimum notional of ${instrument.symbol}.`,
      );
    const orderId = newOrderId();
    try {
      await desk.place({
        orderId,
        userId: request.userId,
        clientOrderId: request.clientOrderId,
        side: request.side,
        orderType: request.orderType,
        lots,
        ticks,
        stopTicks,
        // A market order (a stop too, once it fires) takes what it can then and never rests.
        timeInForce: ticks === null ? 'IOC' : request.timeInForce,
      });
    } catch (error) {
      // A concurrent retry with the same client order id got there first.
      const winner = await orders.byClientOrderId(request.userId, request.clientOrderId);
      if (winner) return { order: winner, replayed: true };
      throw error;
    }
    const order = await orders.byId(orderId);
    if (!order) throw new Error(`order ${orderId} was recorded but is missing from the read model`);
    return { order, replayed: false };
  };

/** Which order types need which of the two prices; the others refuse it. */
const NEEDS: Record<'price' | 'stopPrice', ReadonlySet<OrderType>> = {
  price: new Set(['limit', 'stop-limit']),
  stopPrice: new Set(['stop', 'stop-limit']),
};

/** The limit or the trigger in ticks, or null for an order type that takes none. */
const priceOf = (
  request: SpotOrderRequest,
  which: 'price' | 'stopPrice',
  desk: OrderBookDesk,
): number | null => {
  const text = request[which];
  const needed = NEEDS[which].has(request.orderType);
  const kind = `A ${request.orderType} order`;
  if (needed && text === undefined)
    throw new DomainError('BAD_USER_INPUT', `${kind} needs a ${which}.`);
  if (!needed && text !== undefined)
    throw new DomainError('BAD_USER_INPUT', `${kind} takes no ${which}.`);
  return text === undefined ? null : wholeSteps(text, desk.instrument.tick, which);
};
