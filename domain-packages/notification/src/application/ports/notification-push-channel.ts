import type { Notification } from '../../domain/notification.js';
import type { PushOutcome } from '../../domain/push-delivery.js';

/**
 * Pushes one notification to a destination outside the system (a webhook today). It
 * never throws for a failure of the destination: it reports it as the outcome, which
 * the delivery records and retries.
 */
export interface NotificationPushChannel {
  push(destination: { readonly url: string }, notification: Notification): Promise<PushOutcome>;
}
