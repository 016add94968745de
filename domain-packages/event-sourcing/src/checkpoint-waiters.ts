import type { GlobalPosition } from './event-store.js';

/**
 * Lets callers wait until a subscription's checkpoint reaches a position (tests,
 * read-your-writes). The subscription calls `advanced()` whenever its checkpoint moves.
 */
export const checkpointWaiters = (name: string, checkpoint: () => GlobalPosition) => {
  const waiters = new Set<() => void>();
  return {
    advanced: () => {
      for (const waiter of waiters) waiter();
    },
    waitFor: (position: GlobalPosition, timeoutMs: number) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (checkpoint() < position) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `${name} did not reach position ${position} within ${timeoutMs} ms (at ${checkpoint()})`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
};
