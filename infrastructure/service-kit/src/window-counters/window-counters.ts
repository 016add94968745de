/** How many hits a key has in its current window, and when that window ends. */
export interface WindowCount {
  readonly count: number;
  /** Milliseconds until the window ends and the count starts again from zero; 0 when there is none. */
  readonly resetInMs: number;
}

/**
 * Fixed-window counters shared by every process that uses the same store: the
 * port behind rate limits and sign-in throttling. The first hit on a key opens
 * its window; hits in it add up; when it ends the key is forgotten.
 */
export interface WindowCounters {
  /** Counts one hit on `key`, opening a window of `windowMs` when none is open. */
  hit(key: string, windowMs: number): Promise<WindowCount>;
  /** The key's count without adding to it. */
  peek(key: string): Promise<WindowCount>;
  /** Forgets the key's window, as if it had never been hit. */
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

export const NO_WINDOW: WindowCount = { count: 0, resetInMs: 0 };
