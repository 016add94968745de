import type { NotificationWebhook } from '../../domain/webhook.js';
import type { NotificationWebhooks } from '../ports/push-deliveries.js';

/** The user's webhook setting; undefined when they never set one. */
export const getNotificationWebhook =
  (deps: { webhooks: NotificationWebhooks }) =>
  (userId: string): Promise<NotificationWebhook | undefined> =>
    deps.webhooks.find(userId);
