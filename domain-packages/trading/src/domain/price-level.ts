import type { BookOrder } from './book-order.js';

/** The orders resting at one price, oldest first: an intrusive doubly linked queue. */
export class PriceLevel {
  head: BookOrder | null = null;
  tail: BookOrder | null = null;
  count = 0;
  volume = 0;

  constructor(readonly price: number) {}

  append(order: BookOrder): void {
    order.level = this;
    order.previous = this.tail;
    order.next = null;
    if (this.tail) this.tail.next = order;
    else this.head = order;
    this.tail = order;
    this.count += 1;
    this.volume += order.remaining;
  }

  remove(order: BookOrder): void {
    if (order.previous) order.previous.next = order.next;
    else this.head = order.next;
    if (order.next) order.next.previous = order.previous;
    else this.tail = order.previous;
    order.level = null;
    order.previous = null;
    order.next = null;
    this.count -= 1;
    this.volume -= order.remaining;
  }

  get isEmpty(): boolean {
    return this.count === 0;
  }

  *orders(): Generator<BookOrder> {
    for (let order = this.head; order; order = order.next) yield order;
  }
}
