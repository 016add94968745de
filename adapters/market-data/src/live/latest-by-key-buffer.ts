/**
 * A subscriber's bounded mailbox that keeps only the newest value per key. A
 * reader that falls behind skips superseded values instead of making the
 * writer wait or the buffer grow: at most `capacity` keys are pending, and
 * past that the oldest pending key gives way.
 */
export class LatestByKeyBuffer<Key, Value> implements AsyncIterableIterator<Value> {
  private readonly pending = new Map<Key, Value>();
  private waiting: ((result: IteratorResult<Value>) => void) | undefined;
  private closed = false;
  /** Values replaced or evicted before the reader took them. */
  dropped = 0;

  constructor(
    private readonly capacity: number,
    private readonly onClose: () => void = () => undefined,
  ) {}

  push(key: Key, value: Value): void {
    if (this.closed) return;
    const wake = this.waiting;
    if (wake) {
      this.waiting = undefined;
      wake({ value, done: false });
      return;
    }
    if (this.pending.delete(key)) {
      this.dropped += 1;
    } else if (this.pending.size >= this.capacity) {
      const oldest = this.pending.keys().next().value as Key;
      this.pending.delete(oldest);
      this.dropped += 1;
    }
    // Re-inserting moves the key to the back, so keys are served oldest change first.
    this.pending.set(key, value);
  }

  next(): Promise<IteratorResult<Value>> {
    const first = this.pending.entries().next();
    if (!first.done) {
      const [key, value] = first.value;
      this.pending.delete(key);
      return Promise.resolve({ value, done: false });
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  /** The client went away: stop receiving. */
  return(): Promise<IteratorResult<Value>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending.clear();
    this.onClose();
    const wake = this.waiting;
    this.waiting = undefined;
    wake?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Value> {
    return this;
  }
}
