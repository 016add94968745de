import { DomainError } from '@simple-securities/shared-kernel';
import type { SpotOrderLookup, SpotOrderView } from '../ports.js';
import type { SpotDesks } from './place-order.js';

export interface CancelOrderDependencies {
  readonly desks: SpotDesks;
  readonly orders: SpotOrderLookup;
}

/**
 * Cancels an open order of the caller's; what it still holds goes back to the wallet.
 * Someone else's order is reported as not found, so ids do not leak.
 */
export const cancelOrder =
  ({ desks, orders }: CancelOrderDependencies) =>
  async (userId: string, orderId: string): Promise<SpotOrderView> => {
    const order = await orders.byId(orderId);
    if (!order || order.userId !== userId)
      throw new DomainError('NOT_FOUND', `No order ${orderId}.`, { orderId });
    await desks.desk(order.symbol).cancel(orderId);
    const cancelled = await orders.byId(orderId);
    if (!cancelled) throw new Error(`order ${orderId} vanished from the read model`);
    return cancelled;
  };
