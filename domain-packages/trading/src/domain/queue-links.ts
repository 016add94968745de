import type { BookOrder } from './book-order.js';

/** The slot of no order: the end of a queue, or an order that rests nowhere. */
export const NO_SLOT = -1;

/**
 * The FIFO links of every order resting on one side of the book. Each resting order holds
 * a slot; its previous and next orders in the level's queue are slot numbers kept side by
 * side in one typed array (8 bytes an order), and a second array maps a slot back to its
 * order. Unlinking an order during a cancel or a move writes to its neighbours' slots in
 * that array instead of to the neighbour objects, which with a million live orders are
 * scattered over hundreds of megabytes of heap and each a cache miss (ADR 0029). Freed
 * slots are reused, most recently freed first, through the same `next` links.
 */
export class QueueLinks {
  private links = new Int32Array(2 * 1024);
  private readonly orders: (BookOrder | undefined)[] = [];
  private firstFree = NO_SLOT;

  /** Gives `order` a slot, unlinked. */
  occupy(order: BookOrder): number {
    let slot = this.firstFree;
    if (slot === NO_SLOT) {
      slot = this.orders.length;
      if (2 * slot + 1 >= this.links.length) this.grow();
      this.orders.push(order);
    } else {
      this.firstFree = this.links[2 * slot + 1] as number;
      this.orders[slot] = order;
    }
    this.links[2 * slot] = NO_SLOT;
    this.links[2 * slot + 1] = NO_SLOT;
    order.slot = slot;
    return slot;
  }

  /** Frees the slot of an order that no longer rests; its links must be unlinked first. */
  release(order: BookOrder): void {
    const slot = order.slot;
    this.orders[slot] = undefined;
    this.links[2 * slot + 1] = this.firstFree;
    this.firstFree = slot;
    order.slot = NO_SLOT;
  }

  previous(slot: number): number {
    return this.links[2 * slot] as number;
  }

  next(slot: number): number {
    return this.links[2 * slot + 1] as number;
  }

  setPrevious(slot: number, previous: number): void {
    this.links[2 * slot] = previous;
  }

  setNext(slot: number, next: number): void {
    this.links[2 * slot + 1] = next;
  }

  orderAt(slot: number): BookOrder | undefined {
    return slot === NO_SLOT ? undefined : this.orders[slot];
  }

  private grow(): void {
    const larger = new Int32Array(this.links.length * 2);
    larger.set(this.links);
    this.links = larger;
  }
}
