import type { Logger } from 'pino';

export interface PeriodicTaskOptions {
  /** Names the task in logs. */
  readonly name: string;
  readonly intervalMs: number;
  readonly logger: Logger;
  /** One run; it should give up between steps once `signal` is aborted (stop). */
  run(signal: AbortSignal): Promise<void>;
}

export interface PeriodicTask {
  /** Runs now unless a run is already going; resolves when that run ends. */
  runNow(): Promise<void>;
  /** No new runs; aborts and waits for the current one. */
  stop(): Promise<void>;
}

/**
 * Housekeeping on a timer: never two runs at once, a failure is logged and the next
 * tick tries again, and the timer is `unref`'d so it never keeps the process alive.
 */
export const startPeriodicTask = (options: PeriodicTaskOptions): PeriodicTask => {
  const { name, intervalMs, logger } = options;
  const aborter = new AbortController();
  let current: Promise<void> | undefined;

  const runNow = (): Promise<void> => {
    if (aborter.signal.aborted) return Promise.resolve();
    current ??= options
      .run(aborter.signal)
      .catch((error: unknown) => {
        logger.error(
          { err: error, task: name },
          `${name} failed; trying again in ${Math.round(intervalMs / 1000)} s`,
        );
      })
      .finally(() => {
        current = undefined;
      });
    return current;
  };

  const timer = setInterval(() => void runNow(), intervalMs);
  timer.unref();

  return {
    runNow,
    async stop() {
      clearInterval(timer);
      aborter.abort();
      await current;
    },
  };
};
