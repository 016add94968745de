import type { Clock } from '@simple-securities/shared-kernel';
import { createNotification, type NotificationType } from '../../domain/notification.js';
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
  (deps: { notifications: NotificationRepository; clock: Clock }) =>
  /** Resolves to false when this notification was already given (a redelivered event). */
  async (command: NotifyUser): Promise<boolean> => {
    const notification = createNotification({
      id: command.notificationId,
      userId: command.userId,
      type: command.type,
      title: command.title,
      body: command.body,
      createdAt: deps.clock.now(),
    });
    return deps.notifications.add(notification);
  };
