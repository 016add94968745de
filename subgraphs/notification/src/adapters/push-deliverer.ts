import {
  deliverDuePushes,
  type DeliverDuePushesDeps,
  type NotificationPushChannel,
} from '@simple-securities/notification';
import type { Logger } from 'pino';

/** Pushes claimed per round; they are attempted in parallel. */
const BATCH = 20;
/** With nothing due, the outbox is looked at this often: other replicas may have written to it. */
const IDLE_POLL_MS = 1_000;

export interface PushDeliverer {
  /** Something was queued in this process: look now rather than at the next poll. */
  wake(): void;
  /** Finishes the round in flight and stops. */
  stop(): Promise<void>;
}

/**
 * Runs the delivery of pushes in the background, off every request's path: a round
 * whenever pushes are due, woken early by `wake`. A failing round (the database away)
 * is logged and tried again at the next poll; pending pushes stay in the outbox.
 */
/** The channel, with each attempt's outcome logged for operators (without the URL: it is a secret). */
const loggedChannel = (
  channel: NotificationPushChannel,
  logger: Logger,
): NotificationPushChannel => ({
  async push(destination, notification) {
    const outcome = await channel.push(destination, notification);
    const about = { notificationId: notification.id, userId: notification.userId };
    if (outcome.delivered)
      logger.debug({ ...about, httpStatus: outcome.httpStatus }, 'webhook push delivered');
    else
      logger.info(
        { ...about, httpStatus: outcome.httpStatus, retryable: outcome.retryable },
        `webhook push failed: ${outcome.error}`,
      );
    return outcome;
  },
});

export const startPushDeliverer = (deps: DeliverDuePushesDeps, logger: Logger): PushDeliverer => {
  const deliverRound = deliverDuePushes({ ...deps, channel: loggedChannel(deps.channel, logger) });
  let stopped = false;
  // A wake that comes while a round runs is kept, so the pause after it is skipped.
  let woken = false;
  let interrupt: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopped) return resolve();
      const timer = setTimeout(resolve, ms);
      interrupt = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const untilNextDue = async () => {
    const due = await deps.deliveries.nextDueAt();
    if (!due) return IDLE_POLL_MS;
    return Math.min(IDLE_POLL_MS, Math.max(0, due.getTime() - deps.clock.now().getTime()));
  };

  const run = async () => {
    while (!stopped) {
      woken = false;
      try {
        if ((await deliverRound(BATCH)) > 0) continue;
        await pause(await untilNextDue());
      } catch (error) {
        logger.error(
          { err: error },
          'webhook delivery round failed; pending pushes wait for the next',
        );
        await pause(IDLE_POLL_MS);
      }
    }
  };
  const running = run();

  return {
    wake() {
      woken = true;
      interrupt?.();
    },
    async stop() {
      stopped = true;
      interrupt?.();
      await running;
    },
  };
};
