import type { SearchIndex } from '@simple-securities/event-sourcing';
import type { Clock } from '@simple-securities/shared-kernel';
import {
  createNotification,
  type Notification,
  type NotificationType,
} from '../../domain/notification.js';
import type { NotificationRepository } from '../ports/notification-repository.js';
import { searchDocumentOf } from '../ports/notification-search.js';
import type { PushQueue } from '../ports/push-deliveries.js';

export interface NotifyUser {
  /** Derived from the event that caused it, so a redelivered event notifies once. */
  readonly notificationId: string;
  readonly userId: string;
  readonly type: NotificationType;
  readonly title: string;
  readonly body: string;
}

export interface NotifyUserDeps {
  notifications: NotificationRepository;
  search: SearchIndex;
  /** Written with the notification, in its transaction: its webhook push, when the user has one. */
  pushes: PushQueue;
  clock: Clock;
}

export const notifyUser =
  (deps: NotifyUserDeps) =>
  /** The new notification; undefined when it was already given (a redelivered event). */
  async (command: NotifyUser): Promise<Notification | undefined> => {
    const notification = createNotification({
      id: command.notificationId,
      userId: command.userId,
      type: command.type,
      title: command.title,
      body: command.body,
      createdAt: deps.clock.now(),
    });
    if (!(await deps.notifications.add(notification))) return undefined;
    await deps.search.index(searchDocumentOf(notification));
    await deps.pushes.enqueue(notification);
    return notification;
  };
