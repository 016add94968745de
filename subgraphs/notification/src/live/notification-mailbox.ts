import type { Notification } from '@simple-securities/notification';

/**
 * One subscriber's notifications on their way to the socket, at most `capacity`
 * pending: a client that stops reading loses the oldest (they stay in its list, one
 * query away) instead of making the server hold an unbounded queue for it.
 */
export class NotificationMailbox implements AsyncIterableIterator<Notification> {
  private readonly pending: Notification[] = [];
  private waiting: ((result: IteratorResult<Notification>) => void) | undefined;
  private closed = false;
  /** Notifications given up because the reader was `capacity` behind. */
  dropped = 0;

  constructor(
    private readonly capacity: number,
    private readonly onClose: () => void,
  ) {}

  push(notification: Notification): void {
    if (this.closed) return;
    const wake = this.waiting;
    if (wake) {
      this.waiting = undefined;
      wake({ value: notification, done: false });
      return;
    }
    if (this.pending.length >= this.capacity) {
      this.pending.shift();
      this.dropped += 1;
    }
    this.pending.push(notification);
  }

  next(): Promise<IteratorResult<Notification>> {
    const first = this.pending.shift();
    if (first) return Promise.resolve({ value: first, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  /** The client unsubscribed or went away. */
  return(): Promise<IteratorResult<Notification>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending.length = 0;
    this.onClose();
    const wake = this.waiting;
    this.waiting = undefined;
    wake?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Notification> {
    return this;
  }
}
