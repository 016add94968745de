import { DomainError } from '@simple-securities/shared-kernel';
import { meetsMinNotional } from '../../domain/notional.js';
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
 * minimum notional for a limit order), then the symbol's desk reserves, matches and
 * settles. A retry with the same client order id returns the first order.
 */
export const placeOrder =
  ({ desks, orders, newOrderId }: PlaceOrderDependencies) =>
  async (request: SpotOrderRequest): Promise<PlacedOrder> => {
    const first = await orders.byClientOrderId(request.userId, request.clientOrderId);
    if (first) return { order: first, replayed: true };
    const desk = desks.desk(request.symbol);
    const { instrument } = desk;
    const lots = wholeSteps(request.quantity, instrument.lot, 'quantity');
    const ticks = request.orderType === 'limit' ? limitPrice(request, desk) : null;
    if (request.orderType === 'market' && request.price !== undefined)
      throw new DomainError('BAD_USER_INPUT', 'A market order takes no price.');
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
        // A market order takes what it can now and never rests.
        timeInForce: request.orderType === 'market' ? 'IOC' : request.timeInForce,
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

const limitPrice = (request: SpotOrderRequest, desk: OrderBookDesk): number => {
  if (request.price === undefined)
    throw new DomainError('BAD_USER_INPUT', 'A limit order needs a price.');
  return wholeSteps(request.price, desk.instrument.tick, 'price');
};
