/**
 * The two books behind one interface: each turns the workload into its own calls ahead of
 * time, so the timed loop measures the book and nothing else.
 */
import { type LimitOrderOptions, OrderBook as PeerBook, Side as PeerSide } from 'nodejs-order-book';
import { MatchingEngine } from '@simple-securities/trading';
import { commandOf, type Operation } from './workload.js';

export interface Contender {
  readonly name: string;
  /** Prepares a fresh book and returns one call per operation, in order. */
  prepare(operations: readonly Operation[]): (() => unknown)[];
  restingOrders(): number;
}

export const ours = (): Contender => {
  const engine = MatchingEngine.start();
  return {
    name: 'ours (@simple-securities/trading)',
    prepare: (operations) =>
      operations.map((operation) => {
        const command = commandOf(operation);
        return () => engine.execute(command);
      }),
    restingOrders: () => engine.book.liveOrderCount,
  };
};

export const peer = (): Contender => {
  const book = new PeerBook();
  return {
    name: 'nodejs-order-book',
    prepare: (operations) =>
      operations.map((operation) => {
        const { orderId } = operation;
        switch (operation.kind) {
          case 'cancel':
            return () => book.cancel(orderId);
          case 'move': {
            const update = { price: operation.price };
            return () => book.modify(orderId, update);
          }
          default: {
            const order: LimitOrderOptions = {
              id: orderId,
              side: operation.side === 'buy' ? PeerSide.BUY : PeerSide.SELL,
              size: operation.quantity,
              price: operation.price,
              // The package exports the TimeInForce enum's type but not its values.
              timeInForce: (operation.kind === 'place GTC'
                ? 'GTC'
                : 'IOC') as LimitOrderOptions['timeInForce'],
            };
            return () => book.limit(order);
          }
        }
      }),
    restingOrders: () => {
      const snapshot = book.snapshot();
      return [...snapshot.asks, ...snapshot.bids].reduce(
        (sum, level) => sum + level.orders.length,
        0,
      );
    },
  };
};
