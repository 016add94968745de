import type { Decider } from '@simple-securities/shared-kernel';
import { decideAndApply } from './matching.js';
import type { OrderBookCommand, OrderBookEvent } from './order-book-messages.js';
import { OrderBook } from './order-book.js';

/**
 * The order book as a pure decider, for specs and for anyone holding a book they do not
 * own: `decide` and `evolve` work on a copy and never change the book they are given.
 * The copies cost O(book) per call; the matching engine, which owns its book, skips
 * them and runs the same code in place.
 */
export const orderBookDecider: Decider<OrderBookCommand, OrderBook, OrderBookEvent> = {
  initialState: OrderBook.empty(),
  decide: (command, book) => decideAndApply(book.copy(), command),
  evolve: (book, event) => book.copy().apply(event),
};
