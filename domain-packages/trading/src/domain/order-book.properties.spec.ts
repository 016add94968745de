import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { rehydrate } from '@simple-securities/shared-kernel';
import { MatchingEngine } from './matching-engine.js';
import { orderBookDecider } from './order-book-decider.js';
import type {
  OrderBookCommand,
  OrderBookEvent,
  OrderType,
  SelfTradePrevention,
  Side,
  TimeInForce,
} from './order-book-messages.js';
import { OrderBook, type OrderBookSnapshot } from './order-book.js';

// A small world so that orders meet often: three accounts, eleven prices, ten sizes.
const side = fc.constantFrom<Side>('buy', 'sell');
const price = fc.integer({ min: 95, max: 105 });
const quantity = fc.integer({ min: 1, max: 10 });
const account = fc.constantFrom('alice', 'bob', 'carol');
const placement = fc.record({
  kind: fc.constant('place' as const),
  accountId: account,
  side,
  orderType: fc.constantFrom<OrderType>('limit', 'limit', 'limit', 'market', 'stop', 'stop-limit'),
  quantity,
  price,
  stopPrice: price,
  timeInForce: fc.constantFrom<TimeInForce>('GTC', 'GTC', 'IOC', 'FOK', 'DAY'),
  postOnly: fc.boolean(),
  selfTradePrevention: fc.constantFrom<SelfTradePrevention>(
    'cancel-newest',
    'cancel-oldest',
    'cancel-both',
  ),
});
/** `target` picks one of the orders placed so far (modulo their count). */
const cancellation = fc.record({ kind: fc.constant('cancel' as const), target: fc.nat() });
const amendment = fc.record({
  kind: fc.constant('amend' as const),
  target: fc.nat(),
  price: fc.option(price, { nil: undefined }),
  quantity: fc.option(fc.integer({ min: 1, max: 15 }), { nil: undefined }),
});
const expiry = fc.constant({ kind: 'expire' as const });
const step = fc.oneof(
  { arbitrary: placement, weight: 6 },
  { arbitrary: cancellation, weight: 2 },
  { arbitrary: amendment, weight: 3 },
  { arbitrary: expiry, weight: 1 },
);
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

/** Turns generated steps into commands; cancels and amends aim at orders placed earlier. */
const commandsOf = (steps: readonly Step[]): OrderBookCommand[] => {
  const placed: string[] = [];
  return steps.map((s, index): OrderBookCommand => {
    if (s.kind === 'expire') return { type: 'ExpireDayOrders', at: `day-${index}` };
    if (s.kind !== 'place') {
      const orderId = placed[s.target % Math.max(placed.length, 1)] ?? 'never-placed';
      return s.kind === 'cancel'
        ? { type: 'CancelOrder', orderId }
        : { type: 'AmendOrder', orderId, price: s.price, quantity: s.quantity };
    }
    const orderId = `o${index}`;
    placed.push(orderId);
    const limited = s.orderType === 'limit' || s.orderType === 'stop-limit';
    const stopped = s.orderType === 'stop' || s.orderType === 'stop-limit';
    return {
      type: 'PlaceOrder',
      orderId,
      accountId: s.accountId,
      side: s.side,
      orderType: s.orderType,
      quantity: s.quantity,
      price: limited ? s.price : undefined,
      stopPrice: stopped ? s.stopPrice : undefined,
      timeInForce: limited ? s.timeInForce : s.timeInForce === 'FOK' ? 'FOK' : 'IOC',
      postOnly: s.orderType === 'limit' && s.postOnly,
      selfTradePrevention: s.selfTradePrevention,
    };
  });
};

const commands = fc.array(step, { minLength: 1, maxLength: 120 }).map(commandsOf);

interface Ledger {
  ordered: number;
  filled: number;
  cancelled: number;
  limit: number | null;
  side: Side;
}

/**
 * Replays `events` onto `shadow` one at a time and checks each trade as it happens: the
 * maker is the head of the best opposite level (price-time priority) and the price is
 * within the taker's limit. Also keeps every order's quantities.
 */
const replayChecked = (
  shadow: OrderBook,
  events: readonly OrderBookEvent[],
  ledgers: Map<string, Ledger>,
) => {
  for (const event of events) {
    switch (event.type) {
      case 'OrderAccepted':
        ledgers.set(event.orderId, {
          ordered: event.quantity,
          filled: 0,
          cancelled: 0,
          limit: event.price,
          side: event.side,
        });
        break;
      case 'OrderAmended': {
        const ledger = ledgers.get(event.orderId)!;
        ledger.ordered = event.quantity;
        ledger.limit = event.price;
        break;
      }
      case 'TradeExecuted': {
        const makers = shadow.sideOf(event.takerSide === 'buy' ? 'sell' : 'buy');
        const best = makers.best()!;
        expect(best.head?.orderId).toBe(event.makerOrderId);
        expect(best.price).toBe(event.price);
        const taker = ledgers.get(event.takerOrderId)!;
        if (taker.limit !== null)
          expect(
            taker.side === 'buy' ? event.price <= taker.limit : event.price >= taker.limit,
          ).toBe(true);
        ledgers.get(event.makerOrderId)!.filled += event.quantity;
        taker.filled += event.quantity;
        expect(event.makerAccountId).not.toBe(event.takerAccountId);
        break;
      }
      case 'OrderCancelled':
      case 'OrderExpired':
        ledgers.get(event.orderId)!.cancelled += event.quantity;
        break;
      default:
        break;
    }
    shadow.apply(event);
  }
};

describe('the order book, under random order streams', () => {
  it('is never crossed, fills by price-time priority within limits, and accounts for every lot', () => {
    fc.assert(
      fc.property(commands, (stream) => {
        const engine = MatchingEngine.start();
        const shadow = OrderBook.empty();
        const ledgers = new Map<string, Ledger>();
        for (const command of stream) {
          replayChecked(shadow, engine.execute(command), ledgers);
          const bid = engine.book.bestBid();
          const ask = engine.book.bestAsk();
          if (bid !== undefined && ask !== undefined) expect(bid).toBeLessThan(ask);
          for (const [orderId, ledger] of ledgers) {
            const remaining = engine.book.order(orderId)?.remaining ?? 0;
            expect(ledger.filled + remaining + ledger.cancelled).toBe(ledger.ordered);
          }
          expect(shadow.snapshot()).toEqual(engine.snapshot());
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rebuilds the same book from the events alone, and from a snapshot plus the tail', () => {
    fc.assert(
      fc.property(commands, fc.nat(), (stream, cut) => {
        const engine = MatchingEngine.start();
        const events: OrderBookEvent[] = [];
        const snapshotAt = cut % stream.length;
        let snapshot: OrderBookSnapshot | undefined;
        stream.forEach((command, index) => {
          if (index === snapshotAt) snapshot = JSON.parse(JSON.stringify(engine.snapshot()));
          events.push(...engine.execute(command));
        });
        const final = engine.snapshot();
        expect(MatchingEngine.recover(undefined, events).snapshot()).toEqual(final);
        expect(
          MatchingEngine.recover(snapshot, events.slice(snapshot?.version ?? 0)).snapshot(),
        ).toEqual(final);
      }),
      { numRuns: 300 },
    );
  });

  it('decides the same events as a pure decider as the engine does in place', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }).map(commandsOf), (stream) => {
        const engine = MatchingEngine.start();
        let history: OrderBookEvent[] = [];
        for (const command of stream) {
          const state = rehydrate(orderBookDecider, history);
          const before = state.snapshot();
          const decided = orderBookDecider.decide(command, state);
          expect(state.snapshot()).toEqual(before);
          expect(engine.execute(command)).toEqual(decided);
          history = [...history, ...decided];
        }
      }),
      { numRuns: 60 },
    );
  });
});
