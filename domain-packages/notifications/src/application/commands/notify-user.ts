import type { Clock } from '@simple-securities/shared-kernel';
import { createNotification, type NotificationType } from '../../domain/notification.js';
import type { NotificationPush } from '../ports/notification-push.js';
import type { NotificationRepository } from '../ports/notification-repository.js';

export interface NotifyUser {
  /** Derived from the event that caused it, so a redelivered event notifies once. */
  readonly notificationId: string;
  readonly userId: string;
  readonly type: NotificationType;
  readonly title: string;
  readonly body: string;
}

export const notifyUser =
  (deps: { notifications: NotificationRepository; push: NotificationPush; clock: Clock }) =>
  async (command: NotifyUser): Promise<void> => {
    const notification = createNotification({
      id: command.notificationId,
      userId: command.userId,
      type: command.type,
      title: command.title,
      body: command.body,
      createdAt: deps.clock.now(),
    });
    if (await deps.notifications.add(notification)) deps.push.push(notification);
  };
