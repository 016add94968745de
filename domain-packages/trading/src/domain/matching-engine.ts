import { decideAndApply } from './matching.js';
import type { OrderBookCommand, OrderBookEvent } from './order-book-messages.js';
import { OrderBook, type OrderBookSnapshot } from './order-book.js';

/**
 * The single writer of one instrument's book. It owns its book, so it decides and folds
 * in place: the events `execute` returns are what the caller appends to the stream, and
 * folding them onto the previous book gives exactly the book the engine now holds.
 */
export class MatchingEngine {
  private constructor(private readonly state: OrderBook) {}

  static start(): MatchingEngine {
    return new MatchingEngine(OrderBook.empty());
  }

  /**
   * Recovery: the latest snapshot, then the events recorded after it (the stream from
   * position `snapshot.version` on). Without a snapshot, `tail` is the whole stream.
   */
  static recover(
    snapshot: OrderBookSnapshot | undefined,
    tail: Iterable<OrderBookEvent>,
  ): MatchingEngine {
    const engine = new MatchingEngine(snapshot ? OrderBook.restore(snapshot) : OrderBook.empty());
    for (const event of tail) engine.state.apply(event);
    return engine;
  }

  execute(command: OrderBookCommand): OrderBookEvent[] {
    return decideAndApply(this.state, command);
  }

  /** Read-only use only: the engine is the book's one writer. */
  get book(): OrderBook {
    return this.state;
  }

  snapshot(): OrderBookSnapshot {
    return this.state.snapshot();
  }
}
