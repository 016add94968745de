import type { BookOrder } from './book-order.js';
import type { Side } from './order-book-messages.js';
import { PriceLevel } from './price-level.js';
import { QueueLinks } from './queue-links.js';

/**
 * One side of the book: its price levels by price, and their prices sorted so that the
 * best is last. Trading happens at the best price, so the level emptied most often is
 * the last one (a pop) and new levels land near the end (a short splice).
 */
export class BookSide {
  private readonly levels = new Map<number, PriceLevel>();
  /** Ascending for bids, descending for asks: the best price is always the last. */
  private readonly prices: number[] = [];
  private readonly links = new QueueLinks();

  constructor(readonly side: Side) {}

  best(): PriceLevel | undefined {
    const price = this.prices[this.prices.length - 1];
    return price === undefined ? undefined : this.levels.get(price);
  }

  /** True when `price` would trade with this side's best level. */
  isCrossedBy(price: number): boolean {
    const best = this.prices[this.prices.length - 1];
    if (best === undefined) return false;
    return this.side === 'buy' ? price <= best : price >= best;
  }

  append(order: BookOrder, price: number): void {
    let level = this.levels.get(price);
    if (!level) {
      level = new PriceLevel(price, this.links);
      this.levels.set(price, level);
      this.prices.splice(this.insertionIndex(price), 0, price);
    }
    level.append(order);
  }

  remove(order: BookOrder): void {
    const level = order.level;
    if (!level) return;
    level.remove(order);
    if (level.isEmpty) this.dropLevel(level.price);
  }

  /** Levels from best to worst. */
  *levelsFromBest(): Generator<PriceLevel> {
    for (let index = this.prices.length - 1; index >= 0; index -= 1) {
      const level = this.levels.get(this.prices[index] as number);
      if (level) yield level;
    }
  }

  get levelCount(): number {
    return this.prices.length;
  }

  private dropLevel(price: number): void {
    this.levels.delete(price);
    const last = this.prices.length - 1;
    if (this.prices[last] === price) this.prices.pop();
    else this.prices.splice(this.insertionIndex(price) - 1, 1);
  }

  /** The index after every price that sorts before or equal to `price` (binary search). */
  private insertionIndex(price: number): number {
    const ascending = this.side === 'buy';
    let low = 0;
    let high = this.prices.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = this.prices[middle] as number;
      if (ascending ? other <= price : other >= price) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
