import { NO_WINDOW, type WindowCount, type WindowCounters } from './window-counters.js';

interface Window {
  count: number;
  readonly endsAt: number;
}

/** Keys kept at most; past it, ended windows are swept, then the oldest are dropped. */
const DEFAULT_MAX_KEYS = 100_000;

/**
 * Counters in this process's memory: right for one process, and for tests. A
 * hostile client inventing keys (addresses, user ids) cannot grow it past
 * `maxKeys`; the keys dropped first are those whose windows opened first.
 */
export class InMemoryWindowCounters implements WindowCounters {
  // A Map iterates in insertion order, which is the order windows opened.
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly maxKeys = DEFAULT_MAX_KEYS,
    private readonly now: () => number = Date.now,
  ) {}

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.now();
    let window = this.open(key, now);
    if (!window) {
      this.makeRoom(now);
      window = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetInMs: window.endsAt - now };
  }

  async peek(key: string): Promise<WindowCount> {
    const now = this.now();
    const window = this.open(key, now);
    return window ? { count: window.count, resetInMs: window.endsAt - now } : NO_WINDOW;
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  private open(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window && window.endsAt <= now) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private makeRoom(now: number) {
    if (this.windows.size < this.maxKeys) return;
    for (const [key, window] of this.windows) {
      if (window.endsAt <= now) this.windows.delete(key);
    }
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
