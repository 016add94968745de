import { ensureRecipient, type Notification } from '../../domain/notification.js';
import type { NotificationRepository } from '../ports/notification-repository.js';

export const getNotification =
  (deps: { notifications: NotificationRepository }) =>
  async (userId: string, notificationId: string): Promise<Notification> =>
    ensureRecipient(await deps.notifications.findById(notificationId), userId);
