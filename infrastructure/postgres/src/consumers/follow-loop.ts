import type { Logger } from 'pino';
import { checkpointWaiters, type Subscription } from '@simple-securities/event-sourcing';
import type { SqlDatabase } from '../sql-database.js';
import { onNotification } from './notifications.js';
import { sleep } from './positions.js';

export interface StepResult {
  /** More may be waiting right now. */
  more: boolean;
  /** Stopped at a hole an open transaction may fill; look again soon. */
  blocked: boolean;
}

export interface FollowLoopOptions {
  database: SqlDatabase;
  /** LISTEN channels that announce new work. */
  channels: readonly string[];
  logger: Logger;
  name: string;
  /** Polling fallback when no notification arrives. */
  idleMs?: number;
  start: number;
  step(checkpoint: number): Promise<StepResult & { checkpoint: number }>;
}

/** How long to wait before looking at a hole again: usually its transaction is about to commit. */
const BLOCKED_RETRY_MS = 5;
const ERROR_RETRY_MS = 1_000;

/**
 * Runs `step` until stopped: straight away while there is work, on a notification,
 * or after `idleMs` at the latest. One step at a time; `stop` waits for it.
 */
export const followLoop = async (options: FollowLoopOptions): Promise<Subscription> => {
  const { database, logger, name } = options;
  let checkpoint = options.start;
  let stopped = false;
  let wake: (() => void) | undefined;
  let signalled = false;
  const waiters = checkpointWaiters(name, () => checkpoint);
  const notify = () => {
    signalled = true;
    wake?.();
  };
  const unlisteners = await Promise.all(
    options.channels.map((channel) => onNotification(database, channel, notify, logger)),
  );
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (signalled || stopped) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const run = async () => {
    while (!stopped) {
      signalled = false;
      try {
        const result = await options.step(checkpoint);
        if (result.checkpoint !== checkpoint) {
          checkpoint = result.checkpoint;
          waiters.advanced();
        }
        if (result.more) continue;
        await pause(result.blocked ? BLOCKED_RETRY_MS : (options.idleMs ?? 500));
      } catch (error) {
        if (stopped) break;
        logger.error(
          { err: error, consumer: name },
          `${name} failed to read the log; retrying in 1 s`,
        );
        await sleep(ERROR_RETRY_MS);
      }
    }
  };
  const running = run();

  return {
    get checkpoint() {
      return checkpoint;
    },
    async stop() {
      stopped = true;
      wake?.();
      await running;
      await Promise.all(unlisteners.map((unlisten) => unlisten()));
    },
    waitFor: (position, timeoutMs = 10_000) => waiters.waitFor(position, timeoutMs),
  };
};
