import { describe, expect, it } from '@jest/globals';
import { rehydrate } from '@simple-securities/shared-kernel';
import { given } from '@simple-securities/shared-kernel/testing';
import { MatchingEngine } from './matching-engine.js';
import { orderBookDecider as book } from './order-book-decider.js';
import type {
  CancelReason,
  OrderAccepted,
  OrderBookEvent,
  PlaceOrder,
  RejectionReason,
  Side,
  TradeExecuted,
} from './order-book-messages.js';

// Prices are ticks and quantities lots throughout; accounts are people.
const order = (
  orderId: string,
  accountId: string,
  side: Side,
  quantity: number,
  price: number,
  more: Partial<PlaceOrder> = {},
): PlaceOrder => ({
  type: 'PlaceOrder',
  orderId,
  accountId,
  side,
  orderType: 'limit',
  quantity,
  price,
  timeInForce: 'GTC',
  ...more,
});
const market = (orderId: string, accountId: string, side: Side, quantity: number): PlaceOrder => ({
  type: 'PlaceOrder',
  orderId,
  accountId,
  side,
  orderType: 'market',
  quantity,
  timeInForce: 'IOC',
});

const stopMarket = (
  orderId: string,
  accountId: string,
  side: Side,
  quantity: number,
  stopPrice: number,
): PlaceOrder => ({ ...market(orderId, accountId, side, quantity), orderType: 'stop', stopPrice });

const accepted = (placed: PlaceOrder, sequence: number): OrderAccepted => ({
  type: 'OrderAccepted',
  orderId: placed.orderId,
  accountId: placed.accountId,
  side: placed.side,
  orderType: placed.orderType,
  quantity: placed.quantity,
  price: placed.price ?? null,
  stopPrice: placed.stopPrice ?? null,
  timeInForce: placed.timeInForce,
  postOnly: placed.postOnly ?? false,
  selfTradePrevention: placed.selfTradePrevention ?? 'cancel-newest',
  sequence,
});
const traded = (
  maker: PlaceOrder,
  taker: PlaceOrder,
  price: number,
  quantity: number,
): TradeExecuted => ({
  type: 'TradeExecuted',
  makerOrderId: maker.orderId,
  makerAccountId: maker.accountId,
  takerOrderId: taker.orderId,
  takerAccountId: taker.accountId,
  takerSide: taker.side,
  price,
  quantity,
});
const cancelled = (placed: PlaceOrder, quantity: number, reason: CancelReason): OrderBookEvent => ({
  type: 'OrderCancelled',
  orderId: placed.orderId,
  quantity,
  reason,
});
const rejection = (reason: RejectionReason) =>
  expect.objectContaining({ type: 'CommandRejected', reason }) as unknown as OrderBookEvent;

const aliceAsks101 = order('a1', 'alice', 'sell', 5, 101);
const bobAsks101 = order('b1', 'bob', 'sell', 5, 101);
const aliceAsks102 = order('a2', 'alice', 'sell', 5, 102);
const restingAsks = [accepted(aliceAsks101, 1), accepted(bobAsks101, 2), accepted(aliceAsks102, 3)];

describe('placing a limit order', () => {
  it('rests when nothing on the other side meets its price', () => {
    const bid = order('c1', 'carol', 'buy', 3, 100);
    given(book, restingAsks)
      .when(bid)
      .then([accepted(bid, 4)]);
  });

  it('takes the best price first, then the oldest order at that price, at the maker’s price', () => {
    const bid = order('c1', 'carol', 'buy', 12, 102);
    given(book, restingAsks)
      .when(bid)
      .then([
        accepted(bid, 4),
        traded(aliceAsks101, bid, 101, 5),
        traded(bobAsks101, bid, 101, 5),
        traded(aliceAsks102, bid, 102, 2),
      ]);
  });

  it('rests what it could not fill at its own price', () => {
    const bid = order('c1', 'carol', 'buy', 7, 101);
    const history = [
      ...restingAsks,
      accepted(bid, 4),
      traded(aliceAsks101, bid, 101, 5),
      traded(bobAsks101, bid, 101, 2),
    ];
    const after = rehydrate(book, history);
    expect(after.depth('buy')).toEqual([]);
    const bigger = order('c2', 'carol', 'buy', 9, 101);
    const state = rehydrate(book, [
      ...history,
      accepted(bigger, 5),
      traded(bobAsks101, bigger, 101, 3),
    ]);
    expect(state.depth('buy')).toEqual([{ price: 101, quantity: 6, orders: 1 }]);
    expect(state.depth('sell')).toEqual([{ price: 102, quantity: 5, orders: 1 }]);
  });

  it('refuses malformed orders with a reason, and changes nothing', () => {
    given(book, [])
      .when(order('x', 'carol', 'buy', 1.5, 100))
      .then([rejection('INVALID_ORDER')]);
    given(book, [])
      .when(order('x', 'carol', 'buy', 1, 0))
      .then([rejection('INVALID_ORDER')]);
    given(book, [])
      .when(order('x', 'carol', 'buy', 1, 100.5))
      .then([rejection('INVALID_ORDER')]);
    given(book, [])
      .when({ ...market('x', 'carol', 'buy', 1), timeInForce: 'GTC' })
      .then([rejection('INVALID_ORDER')]);
    given(book, restingAsks)
      .when(order('a1', 'alice', 'buy', 1, 90))
      .then([rejection('DUPLICATE_ORDER_ID')]);
  });
});

describe('orders that never rest', () => {
  it('a market order takes what there is and cancels the rest', () => {
    const buy = market('c1', 'carol', 'buy', 20);
    given(book, restingAsks)
      .when(buy)
      .then([
        accepted(buy, 4),
        traded(aliceAsks101, buy, 101, 5),
        traded(bobAsks101, buy, 101, 5),
        traded(aliceAsks102, buy, 102, 5),
        cancelled(buy, 5, 'NOT_IMMEDIATELY_FILLED'),
      ]);
  });

  it('an IOC limit order takes up to its price and cancels the rest', () => {
    const bid = order('c1', 'carol', 'buy', 12, 101, { timeInForce: 'IOC' });
    given(book, restingAsks)
      .when(bid)
      .then([
        accepted(bid, 4),
        traded(aliceAsks101, bid, 101, 5),
        traded(bobAsks101, bid, 101, 5),
        cancelled(bid, 2, 'NOT_IMMEDIATELY_FILLED'),
      ]);
  });

  it('a FOK order fills completely or is rejected without touching the book', () => {
    const tooMuch = order('c1', 'carol', 'buy', 11, 101, { timeInForce: 'FOK' });
    given(book, restingAsks)
      .when(tooMuch)
      .then([rejection('FILL_OR_KILL_NOT_FILLABLE')]);
    const enough = order('c1', 'carol', 'buy', 10, 101, { timeInForce: 'FOK' });
    given(book, restingAsks)
      .when(enough)
      .then([
        accepted(enough, 4),
        traded(aliceAsks101, enough, 101, 5),
        traded(bobAsks101, enough, 101, 5),
      ]);
  });
});

describe('post-only', () => {
  it('is rejected when it would take, and rests when it would not', () => {
    given(book, restingAsks)
      .when(order('c1', 'carol', 'buy', 1, 101, { postOnly: true }))
      .then([rejection('POST_ONLY_WOULD_TAKE')]);
    const maker = order('c1', 'carol', 'buy', 1, 100, { postOnly: true });
    given(book, restingAsks)
      .when(maker)
      .then([accepted(maker, 4)]);
  });
});

describe('self-trade prevention', () => {
  const bidBy = (mode: PlaceOrder['selfTradePrevention']) =>
    order('a9', 'alice', 'buy', 8, 101, { selfTradePrevention: mode });

  it('cancel-newest: the incoming order gives way when it meets its own account', () => {
    const bid = bidBy('cancel-newest');
    given(book, restingAsks)
      .when(bid)
      .then([accepted(bid, 4), cancelled(bid, 8, 'SELF_TRADE_PREVENTED')]);
  });

  it('cancel-oldest: the resting order is cancelled and matching goes on', () => {
    const bid = bidBy('cancel-oldest');
    given(book, restingAsks)
      .when(bid)
      .then([
        accepted(bid, 4),
        cancelled(aliceAsks101, 5, 'SELF_TRADE_PREVENTED'),
        traded(bobAsks101, bid, 101, 5),
      ]);
  });

  it('cancel-both: both orders are cancelled', () => {
    const bid = bidBy('cancel-both');
    given(book, restingAsks)
      .when(bid)
      .then([
        accepted(bid, 4),
        cancelled(aliceAsks101, 5, 'SELF_TRADE_PREVENTED'),
        cancelled(bid, 8, 'SELF_TRADE_PREVENTED'),
      ]);
  });
});

describe('cancelling', () => {
  it('cancels what is left of a live order', () => {
    given(book, restingAsks)
      .when({ type: 'CancelOrder', orderId: 'b1' })
      .then([cancelled(bobAsks101, 5, 'CANCELLED_BY_REQUEST')]);
  });

  it('rejects an order that is not live', () => {
    given(book, restingAsks)
      .when({ type: 'CancelOrder', orderId: 'nope' })
      .then([rejection('UNKNOWN_ORDER')]);
  });
});

describe('amending', () => {
  const amended = (
    orderId: string,
    price: number,
    quantity: number,
    sequence: number,
  ): OrderBookEvent => ({
    type: 'OrderAmended',
    orderId,
    price,
    quantity,
    sequence,
  });

  it('a smaller quantity keeps the order’s place in the queue', () => {
    given(book, restingAsks)
      .when({ type: 'AmendOrder', orderId: 'a1', quantity: 3 })
      .then([amended('a1', 101, 3, 1)]);
  });

  it('a larger quantity or a new price sends it to the back of the queue', () => {
    given(book, restingAsks)
      .when({ type: 'AmendOrder', orderId: 'a1', quantity: 6 })
      .then([amended('a1', 101, 6, 4)]);
    given(book, restingAsks)
      .when({ type: 'AmendOrder', orderId: 'a2', price: 101 })
      .then([amended('a2', 101, 5, 4)]);
    const state = rehydrate(book, [...restingAsks, amended('a1', 101, 6, 4)]);
    const levelQueue = [...(state.sideOf('sell').best()?.orders() ?? [])].map((o) => o.orderId);
    expect(levelQueue).toEqual(['b1', 'a1']);
  });

  it('an amendment to a price across the spread trades', () => {
    const bid = order('c1', 'carol', 'buy', 4, 99);
    given(book, [...restingAsks, accepted(bid, 4)])
      .when({ type: 'AmendOrder', orderId: 'c1', price: 101 })
      .then([amended('c1', 101, 4, 5), traded(aliceAsks101, bid, 101, 4)]);
  });

  it('refuses a quantity at or below what is already filled, and an order that does not rest', () => {
    const bid = order('c1', 'carol', 'buy', 2, 101);
    given(book, [...restingAsks, accepted(bid, 4), traded(aliceAsks101, bid, 101, 2)])
      .when({ type: 'AmendOrder', orderId: 'a1', quantity: 2 })
      .then([rejection('AMEND_BELOW_FILLED')]);
    const stop = stopMarket('s1', 'dan', 'buy', 1, 105);
    given(book, [accepted(stop, 1)])
      .when({ type: 'AmendOrder', orderId: 's1', quantity: 2 })
      .then([rejection('NOT_AMENDABLE')]);
  });
});

describe('DAY orders', () => {
  it('expire at the session close the caller announces; GTC orders stay', () => {
    const day = order('d1', 'dan', 'buy', 4, 99, { timeInForce: 'DAY' });
    given(book, [...restingAsks, accepted(day, 4)])
      .when({ type: 'ExpireDayOrders', at: '2026-12-02T21:00:00Z' })
      .then([{ type: 'OrderExpired', orderId: 'd1', quantity: 4, at: '2026-12-02T21:00:00Z' }]);
  });
});

describe('stop orders', () => {
  const stopBuy = stopMarket('s1', 'dan', 'buy', 3, 101);
  const stopLimitBuy = order('s2', 'erin', 'buy', 20, 102, {
    orderType: 'stop-limit',
    stopPrice: 101,
  });

  it('wait without trading until the last trade price reaches the stop', () => {
    given(book, restingAsks)
      .when(stopBuy)
      .then([accepted(stopBuy, 4)]);
  });

  it('fire on the trade that reaches the stop price, then take as a market order', () => {
    const bid = order('c1', 'carol', 'buy', 2, 101);
    given(book, [...restingAsks, accepted(stopBuy, 4)])
      .when(bid)
      .then([
        accepted(bid, 5),
        traded(aliceAsks101, bid, 101, 2),
        { type: 'OrderTriggered', orderId: 's1', lastTradePrice: 101, sequence: 6 },
        traded(aliceAsks101, stopBuy, 101, 3),
      ]);
  });

  it('a fired stop-limit takes up to its limit and rests the rest', () => {
    const bid = order('c1', 'carol', 'buy', 1, 101);
    const history = [...restingAsks, accepted(stopLimitBuy, 4)];
    given(book, history)
      .when(bid)
      .then([
        accepted(bid, 5),
        traded(aliceAsks101, bid, 101, 1),
        { type: 'OrderTriggered', orderId: 's2', lastTradePrice: 101, sequence: 6 },
        traded(aliceAsks101, stopLimitBuy, 101, 4),
        traded(bobAsks101, stopLimitBuy, 101, 5),
        traded(aliceAsks102, stopLimitBuy, 102, 5),
      ]);
    const engine = MatchingEngine.recover(undefined, history);
    engine.execute(bid);
    expect(engine.book.depth('buy')).toEqual([{ price: 102, quantity: 6, orders: 1 }]);
  });
});

describe('snapshots', () => {
  it('a snapshot plus the events after it rebuilds the book the whole stream builds', () => {
    const engine = MatchingEngine.start();
    const stream: OrderBookEvent[] = [];
    for (const placed of [aliceAsks101, bobAsks101, aliceAsks102])
      stream.push(...engine.execute(placed));
    const snapshot = JSON.parse(JSON.stringify(engine.snapshot()));
    stream.push(...engine.execute(order('c1', 'carol', 'buy', 7, 101)));
    stream.push(...engine.execute({ type: 'AmendOrder', orderId: 'a2', price: 103 }));
    const tail = stream.slice(snapshot.version);
    expect(MatchingEngine.recover(snapshot, tail).snapshot()).toEqual(engine.snapshot());
    expect(MatchingEngine.recover(undefined, stream).snapshot()).toEqual(engine.snapshot());
  });
});
