import type { Clock } from '@simple-securities/shared-kernel';
import {
  ensureRecipient,
  markRead,
  markViewed,
  type Notification,
} from '../../domain/notification.js';
import type { NotificationRepository } from '../ports/notification-repository.js';

export interface MarkNotification {
  readonly userId: string;
  readonly notificationId: string;
}

type Deps = { notifications: NotificationRepository; clock: Clock };

const changeOwnNotification =
  (change: (notification: Notification, at: Date) => Notification) =>
  (deps: Deps) =>
  async ({ userId, notificationId }: MarkNotification): Promise<Notification> => {
    const current = ensureRecipient(await deps.notifications.findById(notificationId), userId);
    const changed = change(current, deps.clock.now());
    if (changed !== current) await deps.notifications.update(changed);
    return changed;
  };

/** The user opened the notification. */
export const markNotificationRead = changeOwnNotification(markRead);

/** The notification was shown to the user. */
export const markNotificationViewed = changeOwnNotification(markViewed);
