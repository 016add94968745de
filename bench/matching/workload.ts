/**
 * The operation stream both books replay: a resting book of `size` orders over
 * `PRICE_LEVELS` prices a side, then a mix in the shape of exchange-core's public
 * single-symbol benchmark: mostly moves (a resting order to a new price) and cancels,
 * some GTC and IOC placements. The stream is generated once, against our engine as the
 * oracle of which orders are live, and then replayed unchanged by each contender.
 */
import {
  MatchingEngine,
  type OrderBookCommand,
  type OrderBookEvent,
  type Side,
} from '@simple-securities/trading';

export type OperationKind = 'place GTC' | 'place IOC' | 'cancel' | 'move';
export const OPERATION_KINDS: readonly OperationKind[] = [
  'place GTC',
  'place IOC',
  'cancel',
  'move',
];

export interface Operation {
  readonly kind: OperationKind;
  readonly orderId: string;
  readonly side: Side;
  readonly price: number;
  readonly quantity: number;
}

export interface Workload {
  readonly fill: readonly Operation[];
  readonly operations: readonly Operation[];
}

/** Ticks: bids rest below the centre, asks above it. */
const CENTRE = 100_000;
export const PRICE_LEVELS = 500;
/** The mix: 82% moves, 9% GTC, 6% cancels, 3% IOC (exchange-core's). */
const MIX: readonly [OperationKind, number][] = [
  ['move', 0.82],
  ['place GTC', 0.09],
  ['cancel', 0.06],
  ['place IOC', 0.03],
];

/** mulberry32: a seeded generator, so every run replays the same stream. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

/** Live resting orders, with O(1) add, remove and pick-at-random. */
class LiveOrders {
  private readonly ids: string[] = [];
  private readonly index = new Map<string, number>();

  get size(): number {
    return this.ids.length;
  }

  add(orderId: string): void {
    if (this.index.has(orderId)) return;
    this.index.set(orderId, this.ids.length);
    this.ids.push(orderId);
  }

  remove(orderId: string): void {
    const at = this.index.get(orderId);
    if (at === undefined) return;
    const last = this.ids.pop()!;
    this.index.delete(orderId);
    if (last !== orderId) {
      this.ids[at] = last;
      this.index.set(last, at);
    }
  }

  pick(random: () => number): string {
    return this.ids[Math.floor(random() * this.ids.length)]!;
  }
}

const touchedBy = (event: OrderBookEvent): string[] =>
  event.type === 'TradeExecuted' ? [event.makerOrderId, event.takerOrderId] : [event.orderId];

export const generateWorkload = (
  size: number,
  count: number,
  progress: (done: number, total: number) => void,
): Workload => {
  const random = seeded(size ^ count);
  const engine = MatchingEngine.start();
  const live = new LiveOrders();
  let nextId = 0;
  // Resting prices crowd towards the touch, as real books do.
  const restingPrice = (side: Side) => {
    const depth = 1 + Math.floor(random() * random() * PRICE_LEVELS);
    return side === 'buy' ? CENTRE - depth : CENTRE + depth;
  };
  const aggressivePrice = (side: Side) => {
    const reach = Math.floor(random() * 8);
    return side === 'buy' ? CENTRE + reach : CENTRE - reach;
  };
  const randomSide = (): Side => (random() < 0.5 ? 'buy' : 'sell');
  const quantity = () => 1 + Math.floor(random() * 100);
  const record = (operation: Operation) => {
    const events = engine.execute(commandOf(operation));
    for (const event of events)
      for (const orderId of touchedBy(event))
        if (engine.book.order(orderId)?.level) live.add(orderId);
        else live.remove(orderId);
    return operation;
  };
  const place = (kind: OperationKind, side: Side, price: number): Operation => ({
    kind,
    orderId: `o${(nextId += 1)}`,
    side,
    price,
    quantity: quantity(),
  });

  const fill: Operation[] = [];
  for (let index = 0; index < size; index += 1) {
    const side = randomSide();
    fill.push(record(place('place GTC', side, restingPrice(side))));
    if ((index + 1) % 250_000 === 0) progress(index + 1, size + count);
  }

  const operations: Operation[] = [];
  for (let index = 0; index < count; index += 1) {
    let kind = chooseKind(random());
    // Keep the book at its size: placements and cancels make up for what trades away.
    if (kind === 'cancel' && live.size < size) kind = 'place GTC';
    else if (kind === 'place GTC' && live.size > size * 1.01) kind = 'cancel';
    if (kind === 'cancel' || kind === 'move') {
      const orderId = live.pick(random);
      const order = engine.book.order(orderId)!;
      let price = order.price ?? CENTRE;
      if (kind === 'move') {
        const moved = restingPrice(order.side);
        price = moved === price ? moved + (order.side === 'buy' ? -1 : 1) : moved;
      }
      operations.push(
        record({ kind, orderId, side: order.side, price, quantity: order.remaining }),
      );
    } else {
      const side = randomSide();
      const price =
        kind === 'place IOC' || random() < 0.1 ? aggressivePrice(side) : restingPrice(side);
      operations.push(record(place(kind, side, price)));
    }
    if ((size + index + 1) % 250_000 === 0) progress(size + index + 1, size + count);
  }
  return { fill, operations };
};

const chooseKind = (draw: number): OperationKind => {
  let cumulative = 0;
  for (const [kind, share] of MIX) {
    cumulative += share;
    if (draw < cumulative) return kind;
  }
  return 'move';
};

/** The engine's command for one operation of the workload. */
export const commandOf = (operation: Operation): OrderBookCommand => {
  switch (operation.kind) {
    case 'cancel':
      return { type: 'CancelOrder', orderId: operation.orderId };
    case 'move':
      return { type: 'AmendOrder', orderId: operation.orderId, price: operation.price };
    default:
      return {
        type: 'PlaceOrder',
        orderId: operation.orderId,
        accountId: operation.orderId,
        side: operation.side,
        orderType: 'limit',
        quantity: operation.quantity,
        price: operation.price,
        timeInForce: operation.kind === 'place GTC' ? 'GTC' : 'IOC',
      };
  }
};
