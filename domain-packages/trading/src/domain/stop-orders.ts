import type { BookOrder } from './book-order.js';

/**
 * Stop orders waiting for their trigger, in the order they fire: buy stops from the
 * lowest stop price (they fire as the price rises), sell stops from the highest, and
 * by sequence at the same stop price.
 */
export class StopOrders {
  private readonly buys: BookOrder[] = [];
  private readonly sells: BookOrder[] = [];

  add(order: BookOrder): void {
    const queue = order.side === 'buy' ? this.buys : this.sells;
    const index = queue.findIndex((other) => firesBefore(order, other));
    if (index === -1) queue.push(order);
    else queue.splice(index, 0, order);
  }

  remove(order: BookOrder): void {
    const queue = order.side === 'buy' ? this.buys : this.sells;
    const index = queue.indexOf(order);
    if (index !== -1) queue.splice(index, 1);
  }

  /**
   * The next stop the last trade price fires: a buy stop at or below it, a sell stop at
   * or above it; when both fire, the older one first.
   */
  nextTriggered(lastTradePrice: number): BookOrder | undefined {
    const buy = this.buys[0];
    const sell = this.sells[0];
    const buyFires = buy !== undefined && (buy.stopPrice ?? Infinity) <= lastTradePrice;
    const sellFires = sell !== undefined && (sell.stopPrice ?? -Infinity) >= lastTradePrice;
    if (buyFires && sellFires) return buy.sequence < sell.sequence ? buy : sell;
    if (buyFires) return buy;
    if (sellFires) return sell;
    return undefined;
  }

  *all(): Generator<BookOrder> {
    yield* this.buys;
    yield* this.sells;
  }
}

const firesBefore = (order: BookOrder, other: BookOrder): boolean => {
  const stop = order.stopPrice ?? 0;
  const otherStop = other.stopPrice ?? 0;
  if (stop !== otherStop) return order.side === 'buy' ? stop < otherStop : stop > otherStop;
  return order.sequence < other.sequence;
};
