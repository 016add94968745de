import type { Clock } from '@simple-securities/shared-kernel';
import { nextStepAfter, type RetryPolicy } from '../../domain/push-delivery.js';
import type { NotificationPushChannel } from '../ports/notification-push-channel.js';
import type { PushDeliveries } from '../ports/push-deliveries.js';

export interface DeliverDuePushesDeps {
  readonly deliveries: PushDeliveries;
  readonly channel: NotificationPushChannel;
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  /** In [0, 1): the jitter of the pauses between attempts. */
  readonly random: () => number;
  /** How long a claimed push stays with this deliverer: longer than one attempt can take. */
  readonly leaseMs: number;
}

/**
 * One round of delivery: claims the pushes that are due, attempts each once, in
 * parallel, and records every attempt with what follows it (delivered, another try
 * later, or given up). Resolves to how many it attempted.
 */
export const deliverDuePushes =
  (deps: DeliverDuePushesDeps) =>
  async (limit: number): Promise<number> => {
    const due = await deps.deliveries.claimDue(deps.clock.now(), limit, deps.leaseMs);
    await Promise.all(
      due.map(async ({ notification, url, attempt }) => {
        const outcome = await deps.channel.push({ url }, notification);
        const at = deps.clock.now();
        const next = nextStepAfter(deps.policy, attempt, outcome, at, deps.random());
        await deps.deliveries.record(
          {
            notificationId: notification.id,
            userId: notification.userId,
            attempt,
            status: next.status,
            httpStatus: outcome.httpStatus ?? null,
            error: outcome.delivered ? null : outcome.error,
            at,
          },
          next,
        );
      }),
    );
    return due.length;
  };
