import type { Clock } from '@simple-securities/shared-kernel';
import {
  checkWebhookUrl,
  type NotificationWebhook,
  type WebhookUrlRules,
} from '../../domain/webhook.js';
import type { NotificationWebhooks } from '../ports/push-deliveries.js';

export interface SetNotificationWebhook {
  readonly userId: string;
  readonly url: string;
  readonly enabled: boolean;
}

/** Sets (or replaces) where the user's new notifications are pushed, and turns it on or off. */
export const setNotificationWebhook =
  (deps: { webhooks: NotificationWebhooks; clock: Clock; rules: WebhookUrlRules }) =>
  async (command: SetNotificationWebhook): Promise<NotificationWebhook> => {
    const webhook: NotificationWebhook = {
      userId: command.userId,
      url: checkWebhookUrl(command.url, deps.rules).href,
      enabled: command.enabled,
      updatedAt: deps.clock.now(),
    };
    await deps.webhooks.save(webhook);
    return webhook;
  };
