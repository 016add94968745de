import { BookOrder } from './book-order.js';
import { BookSide } from './book-side.js';
import type {
  OrderAmended,
  OrderBookEvent,
  OrderType,
  SelfTradePrevention,
  Side,
  TimeInForce,
  TradeExecuted,
} from './order-book-messages.js';
import { OrderIndex } from './order-index.js';
import { StopOrders } from './stop-orders.js';

/** One live order as a snapshot records it; `remaining` is `quantity - filled`. */
export interface OrderSnapshot {
  readonly orderId: string;
  readonly accountId: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly filled: number;
  readonly price: number | null;
  readonly stopPrice: number | null;
  readonly timeInForce: TimeInForce;
  readonly postOnly: boolean;
  readonly selfTradePrevention: SelfTradePrevention;
  readonly sequence: number;
  readonly triggered: boolean;
}

/**
 * The whole book as plain JSON. `version` is the number of events folded into it, so
 * recovery restores the snapshot and replays the stream from that position on. Orders
 * are listed bids then asks, best level first and each level in queue order, then the
 * waiting stops in firing order: two books that are the same give the same snapshot.
 */
export interface OrderBookSnapshot {
  readonly version: number;
  readonly nextSequence: number;
  readonly lastTradePrice: number | null;
  readonly orders: readonly OrderSnapshot[];
}

export interface DepthLevel {
  readonly price: number;
  readonly quantity: number;
  readonly orders: number;
}

/**
 * The state of one instrument's order book. `apply` is `evolve` done in place: the
 * matching engine is the book's only writer, so it folds each event into the one copy
 * it owns instead of copying the book per event (ADR 0013). Everything else reads.
 */
export class OrderBook {
  private readonly bids = new BookSide('buy');
  private readonly asks = new BookSide('sell');
  private readonly stops = new StopOrders();
  private readonly live = new OrderIndex<BookOrder>();
  private eventsApplied = 0;
  private sequenceCounter = 1;
  private lastPrice: number | null = null;

  get version(): number {
    return this.eventsApplied;
  }

  /** The sequence the next accepted, triggered or re-queued order gets. */
  get nextSequence(): number {
    return this.sequenceCounter;
  }

  get lastTradePrice(): number | null {
    return this.lastPrice;
  }

  get liveOrderCount(): number {
    return this.live.size;
  }

  order(orderId: string): BookOrder | undefined {
    return this.live.get(orderId);
  }

  /** The live orders of one account, oldest first. */
  ordersOf(accountId: string): BookOrder[] {
    return [...this.live.values()]
      .filter((order) => order.accountId === accountId)
      .sort((a, b) => a.sequence - b.sequence);
  }

  sideOf(side: Side): BookSide {
    return side === 'buy' ? this.bids : this.asks;
  }

  bestBid(): number | undefined {
    return this.bids.best()?.price;
  }

  bestAsk(): number | undefined {
    return this.asks.best()?.price;
  }

  depth(side: Side): DepthLevel[] {
    return [...this.sideOf(side).levelsFromBest()].map((level) => ({
      price: level.price,
      quantity: level.volume,
      orders: level.count,
    }));
  }

  /** The next waiting stop that the last trade fires, if any. */
  nextTriggeredStop(): BookOrder | undefined {
    return this.lastPrice === null ? undefined : this.stops.nextTriggered(this.lastPrice);
  }

  /**
   * Every live order that expires at the session close, oldest first: an order the
   * book holds, not the order the map happens to hold them in, which a restored book
   * does not share.
   */
  dayOrders(): BookOrder[] {
    return [...this.live.values()]
      .filter((order) => order.timeInForce === 'DAY')
      .sort((a, b) => a.sequence - b.sequence);
  }

  apply(event: OrderBookEvent): this {
    this.eventsApplied += 1;
    switch (event.type) {
      case 'OrderAccepted': {
        const order = BookOrder.accepted(event);
        this.live.set(order.orderId, order);
        this.sequenceCounter = event.sequence + 1;
        if (order.isStop) this.stops.add(order);
        else this.rest(order);
        break;
      }
      case 'OrderTriggered': {
        const order = this.live.get(event.orderId);
        if (!order) break;
        this.stops.remove(order);
        order.triggered = true;
        order.sequence = event.sequence;
        this.sequenceCounter = event.sequence + 1;
        this.rest(order);
        break;
      }
      case 'TradeExecuted':
        this.trade(event);
        break;
      case 'OrderCancelled':
      case 'OrderExpired': {
        const order = this.live.get(event.orderId);
        if (order) this.drop(order);
        break;
      }
      case 'OrderAmended':
        this.amend(event);
        break;
      case 'CommandRejected':
        break;
    }
    return this;
  }

  snapshot(): OrderBookSnapshot {
    const orders: OrderSnapshot[] = [];
    for (const side of [this.bids, this.asks])
      for (const level of side.levelsFromBest())
        for (const order of level.orders()) orders.push(snapshotOf(order));
    for (const order of this.stops.all()) orders.push(snapshotOf(order));
    return {
      version: this.eventsApplied,
      nextSequence: this.sequenceCounter,
      lastTradePrice: this.lastPrice,
      orders,
    };
  }

  static restore(snapshot: OrderBookSnapshot): OrderBook {
    const book = new OrderBook();
    book.eventsApplied = snapshot.version;
    book.sequenceCounter = snapshot.nextSequence;
    book.lastPrice = snapshot.lastTradePrice;
    for (const saved of snapshot.orders) {
      const order = new BookOrder(
        saved.orderId,
        saved.accountId,
        saved.side,
        saved.orderType,
        saved.quantity,
        saved.price,
        saved.stopPrice,
        saved.timeInForce,
        saved.postOnly,
        saved.selfTradePrevention,
        saved.sequence,
      );
      order.filled = saved.filled;
      order.remaining = saved.quantity - saved.filled;
      order.triggered = saved.triggered;
      book.live.set(order.orderId, order);
      if (order.waitsForTrigger) book.stops.add(order);
      else book.rest(order);
    }
    return book;
  }

  static empty(): OrderBook {
    return new OrderBook();
  }

  /** A copy that shares nothing with this book. */
  copy(): OrderBook {
    return OrderBook.restore(this.snapshot());
  }

  private rest(order: BookOrder): void {
    if (order.rests && order.price !== null) this.sideOf(order.side).append(order, order.price);
  }

  private trade(event: TradeExecuted): void {
    this.lastPrice = event.price;
    this.fill(this.live.get(event.makerOrderId), event.quantity);
    this.fill(this.live.get(event.takerOrderId), event.quantity);
  }

  private fill(order: BookOrder | undefined, quantity: number): void {
    if (!order) return;
    if (order.remaining === quantity) {
      this.drop(order);
      order.remaining = 0;
      order.filled += quantity;
      return;
    }
    order.remaining -= quantity;
    order.filled += quantity;
    if (order.level) order.level.volume -= quantity;
  }

  private drop(order: BookOrder): void {
    this.live.delete(order.orderId);
    if (order.level) this.sideOf(order.side).remove(order);
    else if (order.waitsForTrigger) this.stops.remove(order);
  }

  private amend(event: OrderAmended): void {
    const order = this.live.get(event.orderId);
    if (!order) return;
    const side = this.sideOf(order.side);
    const requeued = event.sequence !== order.sequence;
    if (requeued) side.remove(order);
    const change = event.quantity - order.quantity;
    order.quantity = event.quantity;
    order.remaining += change;
    order.price = event.price;
    if (requeued) {
      order.sequence = event.sequence;
      this.sequenceCounter = event.sequence + 1;
      side.append(order, event.price);
    } else if (order.level) order.level.volume += change;
  }
}

const snapshotOf = (order: BookOrder): OrderSnapshot => ({
  orderId: order.orderId,
  accountId: order.accountId,
  side: order.side,
  orderType: order.orderType,
  quantity: order.quantity,
  filled: order.filled,
  price: order.price,
  stopPrice: order.stopPrice,
  timeInForce: order.timeInForce,
  postOnly: order.postOnly,
  selfTradePrevention: order.selfTradePrevention,
  sequence: order.sequence,
  triggered: order.triggered,
});
