import { DomainError } from '@simple-securities/shared-kernel';
import { meetsMinNotional } from '../../domain/notional.js';
import type { SpotOrderLookup, SpotOrderView } from '../ports.js';
import { type SpotOrderAmendment, wholeSteps } from '../spot-order.js';
import type { SpotDesks } from './place-order.js';

export interface AmendOrderDependencies {
  readonly desks: SpotDesks;
  readonly orders: SpotOrderLookup;
}

/**
 * Changes the quantity or price of a resting limit order of the caller's. A new price or
 * a larger quantity sends it to the back of its level, a smaller quantity keeps its place;
 * the desk reserves what a costlier order needs first, and gives back what a cheaper one
 * no longer does. Someone else's order is reported as not found, so ids do not leak.
 */
export const amendOrder =
  ({ desks, orders }: AmendOrderDependencies) =>
  async (amendment: SpotOrderAmendment): Promise<SpotOrderView> => {
    const { userId, orderId } = amendment;
    const order = await orders.byId(orderId);
    if (!order || order.userId !== userId)
      throw new DomainError('NOT_FOUND', `No order ${orderId}.`, { orderId });
    if (amendment.quantity === undefined && amendment.price === undefined)
      throw new DomainError('BAD_USER_INPUT', 'Give a new quantity, a new price or both.');
    const desk = desks.desk(order.symbol);
    const { instrument } = desk;
    const lots =
      amendment.quantity === undefined
        ? undefined
        : wholeSteps(amendment.quantity, instrument.lot, 'quantity');
    const ticks =
      amendment.price === undefined
        ? undefined
        : wholeSteps(amendment.price, instrument.tick, 'price');
    // An order no longer in the book is the desk's to refuse, as CONFLICT.
    const resting = desk.book.order(orderId);
    const price = ticks ?? resting?.price;
    if (resting && price && !meetsMinNotional(instrument, price, lots ?? resting.quantity))
      throw new DomainError(
        'BAD_USER_INPUT',
        `price × quantity is below the minimum notional of ${instrument.symbol}.`,
      );
    await desk.amend({ orderId, lots, ticks });
    const amended = await orders.byId(orderId);
    if (!amended) throw new Error(`order ${orderId} vanished from the read model`);
    return amended;
  };
