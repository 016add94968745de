import { LatestByKeyBuffer } from '@simple-securities/market-data-adapters';
import type { Logger } from '@simple-securities/service-kit';
import type { SpotOrderLookup, SpotOrderView } from '@simple-securities/trading';

/** Orders one subscriber may have pending; past that, the oldest pending order gives way. */
const PENDING_ORDERS_PER_SUBSCRIBER = 256;

/**
 * Each user's order changes, pushed to that user's subscriptions only. The desks say which
 * orders changed once their trades are settled; the order itself is read from the read
 * model, so a subscriber sees what `order(id)` would answer. A slow subscriber skips to
 * the newest state of each order.
 */
export class OrderUpdates {
  private readonly watchers = new Map<string, Set<LatestByKeyBuffer<string, SpotOrderView>>>();

  constructor(
    private readonly orders: SpotOrderLookup,
    private readonly logger: Logger,
  ) {}

  watch(userId: string): AsyncIterableIterator<SpotOrderView> {
    const mine = this.watchers.get(userId) ?? new Set();
    this.watchers.set(userId, mine);
    const buffer = new LatestByKeyBuffer<string, SpotOrderView>(
      PENDING_ORDERS_PER_SUBSCRIBER,
      () => {
        mine.delete(buffer);
        if (mine.size === 0) this.watchers.delete(userId);
      },
    );
    mine.add(buffer);
    return buffer;
  }

  /** Called by the desks; never throws, as the orders themselves are already recorded. */
  readonly changed = (orderIds: readonly string[]): void => {
    if (this.watchers.size === 0) return;
    this.deliver(orderIds).catch((error: unknown) =>
      this.logger.warn({ err: error }, 'Could not read changed orders for their subscribers'),
    );
  };

  private async deliver(orderIds: readonly string[]): Promise<void> {
    for (const orderId of orderIds) {
      const order = await this.orders.byId(orderId);
      if (!order) continue;
      for (const buffer of this.watchers.get(order.userId) ?? []) buffer.push(order.id, order);
    }
  }
}
