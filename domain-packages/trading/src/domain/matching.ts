import type { BookOrder } from './book-order.js';
import type {
  AmendOrder,
  CancelOrder,
  CancelReason,
  CommandRejected,
  ExpireDayOrders,
  OrderBookCommand,
  OrderBookEvent,
  PlaceOrder,
  RejectionReason,
  Side,
} from './order-book-messages.js';
import type { OrderBook } from './order-book.js';

/**
 * Decides what a command does to the book and applies each event the moment it is
 * decided, so a decision always reads the book as the events so far have left it (a
 * trade empties a level before the taker looks at the next one; a stop fired by one
 * trade takes from the book that trade left). Every change to the book goes through
 * `book.apply`, the same fold replay uses, so replaying the returned events onto the
 * book as it was gives the book as it is (ADR 0013).
 */
export const decideAndApply = (book: OrderBook, command: OrderBookCommand): OrderBookEvent[] => {
  const out = new Emitter(book);
  switch (command.type) {
    case 'PlaceOrder':
      place(book, command, out);
      break;
    case 'CancelOrder':
      cancel(book, command, out);
      break;
    case 'AmendOrder':
      amend(book, command, out);
      break;
    case 'ExpireDayOrders':
      expire(book, command, out);
      break;
  }
  return out.events;
};

/** Applies each event to the book as it is decided, and keeps it for the caller. */
class Emitter {
  readonly events: OrderBookEvent[] = [];

  constructor(private readonly book: OrderBook) {}

  emit(event: OrderBookEvent): void {
    this.book.apply(event);
    this.events.push(event);
  }

  reject(
    command: CommandRejected['command'],
    orderId: string,
    reason: RejectionReason,
    detail: string,
  ): void {
    this.emit({ type: 'CommandRejected', command, orderId, reason, detail });
  }
}

const opposite = (side: Side): Side => (side === 'buy' ? 'sell' : 'buy');

const isTickOrLot = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

// The domain guards its own invariants even though the edge validates with zod first:
// a command that reaches the book in any shape must not corrupt it.
const SIDES = new Set<string>(['buy', 'sell']);
const ORDER_TYPES = new Set<string>(['limit', 'market', 'stop', 'stop-limit']);
const TIMES_IN_FORCE = new Set<string>(['GTC', 'IOC', 'FOK', 'DAY']);
const SELF_TRADE_PREVENTIONS = new Set<string>(['cancel-newest', 'cancel-oldest', 'cancel-both']);

/** What is wrong with a placement's shape, in words, or undefined when it is well formed. */
const malformation = (command: PlaceOrder): string | undefined => {
  const { orderType, timeInForce } = command;
  if (typeof command.orderId !== 'string' || command.orderId === '')
    return 'an order id is required';
  if (typeof command.accountId !== 'string' || command.accountId === '')
    return 'an account id is required';
  if (!SIDES.has(command.side)) return 'side is buy or sell';
  if (!ORDER_TYPES.has(orderType)) return 'order type is limit, market, stop or stop-limit';
  if (!TIMES_IN_FORCE.has(timeInForce)) return 'time in force is GTC, IOC, FOK or DAY';
  if (!SELF_TRADE_PREVENTIONS.has(command.selfTradePrevention ?? 'cancel-newest'))
    return 'self-trade prevention is cancel-newest, cancel-oldest or cancel-both';
  if (!isTickOrLot(command.quantity)) return 'quantity must be a positive whole number of lots';
  const needsPrice = orderType === 'limit' || orderType === 'stop-limit';
  const needsStop = orderType === 'stop' || orderType === 'stop-limit';
  if (needsPrice !== isTickOrLot(command.price))
    return needsPrice
      ? `a ${orderType} order needs a price in whole ticks above zero`
      : `a ${orderType} order takes no price`;
  if (needsStop !== isTickOrLot(command.stopPrice))
    return needsStop
      ? `a ${orderType} order needs a stop price in whole ticks above zero`
      : `a ${orderType} order takes no stop price`;
  if (!needsPrice && timeInForce !== 'IOC' && timeInForce !== 'FOK')
    return `a ${orderType} order never rests, so it is IOC or FOK, not ${timeInForce}`;
  if (command.postOnly && (orderType !== 'limit' || timeInForce === 'IOC' || timeInForce === 'FOK'))
    return 'only a GTC or DAY limit order can be post-only';
  return undefined;
};

const place = (book: OrderBook, command: PlaceOrder, out: Emitter) => {
  const problem = malformation(command);
  if (problem) return out.reject('PlaceOrder', command.orderId, 'INVALID_ORDER', problem);
  if (book.order(command.orderId))
    return out.reject(
      'PlaceOrder',
      command.orderId,
      'DUPLICATE_ORDER_ID',
      'an order with this id is live',
    );
  const price = command.price ?? null;
  if (command.postOnly && price !== null && book.sideOf(opposite(command.side)).isCrossedBy(price))
    return out.reject(
      'PlaceOrder',
      command.orderId,
      'POST_ONLY_WOULD_TAKE',
      'a post-only order must not trade on arrival',
    );
  const isStop = command.orderType === 'stop' || command.orderType === 'stop-limit';
  if (!isStop && command.timeInForce === 'FOK' && !fillable(book, command))
    return out.reject(
      'PlaceOrder',
      command.orderId,
      'FILL_OR_KILL_NOT_FILLABLE',
      'the book cannot fill the whole quantity now',
    );
  out.emit({
    type: 'OrderAccepted',
    orderId: command.orderId,
    accountId: command.accountId,
    side: command.side,
    orderType: command.orderType,
    quantity: command.quantity,
    price,
    stopPrice: command.stopPrice ?? null,
    timeInForce: command.timeInForce,
    postOnly: command.postOnly ?? false,
    selfTradePrevention: command.selfTradePrevention ?? 'cancel-newest',
    sequence: book.nextSequence,
  });
  const order = book.order(command.orderId);
  if (order && !isStop) take(book, order, out);
  fireStops(book, out);
};

const cancel = (book: OrderBook, command: CancelOrder, out: Emitter) => {
  const order = book.order(command.orderId);
  if (!order)
    return out.reject('CancelOrder', command.orderId, 'UNKNOWN_ORDER', 'no live order has this id');
  emitCancel(order, 'CANCELLED_BY_REQUEST', out);
};

const amend = (book: OrderBook, command: AmendOrder, out: Emitter) => {
  const order = book.order(command.orderId);
  if (!order)
    return out.reject('AmendOrder', command.orderId, 'UNKNOWN_ORDER', 'no live order has this id');
  if (!order.level || order.price === null)
    return out.reject(
      'AmendOrder',
      command.orderId,
      'NOT_AMENDABLE',
      'only a resting limit order can be amended',
    );
  const price = command.price ?? order.price;
  const quantity = command.quantity ?? order.quantity;
  if (!isTickOrLot(price) || !isTickOrLot(quantity))
    return out.reject(
      'AmendOrder',
      command.orderId,
      'NOT_AMENDABLE',
      'price and quantity must be whole ticks and lots above zero',
    );
  if (quantity <= order.filled)
    return out.reject(
      'AmendOrder',
      command.orderId,
      'AMEND_BELOW_FILLED',
      `${order.filled} lots are already filled`,
    );
  if (price === order.price && quantity === order.quantity)
    return out.reject(
      'AmendOrder',
      command.orderId,
      'NOTHING_TO_AMEND',
      'the price and quantity are unchanged',
    );
  const crosses = book.sideOf(opposite(order.side)).isCrossedBy(price);
  if (order.postOnly && crosses)
    return out.reject(
      'AmendOrder',
      command.orderId,
      'POST_ONLY_WOULD_TAKE',
      'a post-only order must not trade on amendment',
    );
  const keepsPlace = price === order.price && quantity < order.quantity;
  out.emit({
    type: 'OrderAmended',
    orderId: order.orderId,
    price,
    quantity,
    sequence: keepsPlace ? order.sequence : book.nextSequence,
  });
  if (crosses) {
    take(book, order, out);
    fireStops(book, out);
  }
};

const expire = (book: OrderBook, command: ExpireDayOrders, out: Emitter) => {
  for (const order of book.dayOrders())
    out.emit({
      type: 'OrderExpired',
      orderId: order.orderId,
      quantity: order.remaining,
      at: command.at,
    });
};

const emitCancel = (order: BookOrder, reason: CancelReason, out: Emitter) =>
  out.emit({ type: 'OrderCancelled', orderId: order.orderId, quantity: order.remaining, reason });

const priceAllows = (taker: BookOrder, makerPrice: number): boolean =>
  taker.price === null ||
  (taker.side === 'buy' ? makerPrice <= taker.price : makerPrice >= taker.price);

/**
 * Trades `taker` against the opposite side, best price first and oldest first within a
 * price, each trade at the maker's price. What is left of an order that does not rest
 * is cancelled; what is left of one that rests stays where `OrderAccepted` put it.
 */
const take = (book: OrderBook, taker: BookOrder, out: Emitter) => {
  const makers = book.sideOf(opposite(taker.side));
  for (let level = makers.best(); level && priceAllows(taker, level.price); level = makers.best()) {
    let maker = level.head;
    while (maker) {
      const next = level.after(maker);
      if (maker.accountId === taker.accountId) {
        const mode = taker.selfTradePrevention;
        if (mode !== 'cancel-newest') emitCancel(maker, 'SELF_TRADE_PREVENTED', out);
        if (mode !== 'cancel-oldest') return emitCancel(taker, 'SELF_TRADE_PREVENTED', out);
      } else {
        const quantity = Math.min(maker.remaining, taker.remaining);
        out.emit({
          type: 'TradeExecuted',
          makerOrderId: maker.orderId,
          makerAccountId: maker.accountId,
          takerOrderId: taker.orderId,
          takerAccountId: taker.accountId,
          takerSide: taker.side,
          price: level.price,
          quantity,
        });
        if (taker.remaining === 0) return;
      }
      maker = next;
    }
  }
  if (!taker.rests) emitCancel(taker, 'NOT_IMMEDIATELY_FILLED', out);
};

/**
 * Whether a fill-or-kill order would fill completely, walking the book as `take` would:
 * an own order stops the walk unless self-trade prevention cancels the resting side.
 */
const fillable = (book: OrderBook, order: PlaceOrder): boolean => {
  let wanted = order.quantity;
  const limit = order.price;
  const mode = order.selfTradePrevention ?? 'cancel-newest';
  for (const level of book.sideOf(opposite(order.side)).levelsFromBest()) {
    if (limit !== undefined && (order.side === 'buy' ? level.price > limit : level.price < limit))
      return false;
    for (const maker of level.orders()) {
      if (maker.accountId !== order.accountId) wanted -= maker.remaining;
      else if (mode !== 'cancel-oldest') return false;
      if (wanted <= 0) return true;
    }
  }
  return false;
};

/**
 * Fires every stop the last trade price reaches, oldest rule first (see StopOrders),
 * until none is left: a fired stop can trade and move the price on to fire others.
 */
const fireStops = (book: OrderBook, out: Emitter) => {
  for (let stop = book.nextTriggeredStop(); stop; stop = book.nextTriggeredStop()) {
    out.emit({
      type: 'OrderTriggered',
      orderId: stop.orderId,
      lastTradePrice: book.lastTradePrice ?? 0,
      sequence: book.nextSequence,
    });
    if (stop.timeInForce === 'FOK' && !fillable(book, placementOf(stop)))
      emitCancel(stop, 'FILL_OR_KILL_NOT_FILLABLE', out);
    else take(book, stop, out);
  }
};

const placementOf = (order: BookOrder): PlaceOrder => ({
  type: 'PlaceOrder',
  orderId: order.orderId,
  accountId: order.accountId,
  side: order.side,
  orderType: order.orderType,
  quantity: order.remaining,
  price: order.price ?? undefined,
  timeInForce: order.timeInForce,
  selfTradePrevention: order.selfTradePrevention,
});
