import type { BookOrder } from './book-order.js';
import { NO_SLOT, type QueueLinks } from './queue-links.js';

/**
 * The orders resting at one price, oldest first: a doubly linked queue whose links are
 * slots in the side's `QueueLinks`, so a cancel or a move anywhere in the queue is O(1)
 * and touches no other order (ADR 0029).
 */
export class PriceLevel {
  private headSlot = NO_SLOT;
  private tailSlot = NO_SLOT;
  count = 0;
  volume = 0;

  constructor(
    readonly price: number,
    private readonly links: QueueLinks,
  ) {}

  append(order: BookOrder): void {
    const slot = this.links.occupy(order);
    order.level = this;
    this.links.setPrevious(slot, this.tailSlot);
    if (this.tailSlot === NO_SLOT) this.headSlot = slot;
    else this.links.setNext(this.tailSlot, slot);
    this.tailSlot = slot;
    this.count += 1;
    this.volume += order.remaining;
  }

  remove(order: BookOrder): void {
    const slot = order.slot;
    const previous = this.links.previous(slot);
    const next = this.links.next(slot);
    if (previous === NO_SLOT) this.headSlot = next;
    else this.links.setNext(previous, next);
    if (next === NO_SLOT) this.tailSlot = previous;
    else this.links.setPrevious(next, previous);
    this.links.release(order);
    order.level = null;
    this.count -= 1;
    this.volume -= order.remaining;
  }

  get isEmpty(): boolean {
    return this.count === 0;
  }

  /** The order at the front of the queue: the next to trade. */
  get head(): BookOrder | undefined {
    return this.links.orderAt(this.headSlot);
  }

  /** The order queued right behind `order`, which must rest on this level. */
  after(order: BookOrder): BookOrder | undefined {
    return this.links.orderAt(this.links.next(order.slot));
  }

  *orders(): Generator<BookOrder> {
    for (let order = this.head; order; order = this.after(order)) yield order;
  }
}
