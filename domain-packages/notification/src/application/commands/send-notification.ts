import { DomainError } from '@simple-securities/shared-kernel';
import type { Notification, NotificationType } from '../../domain/notification.js';
import { notifyUser, type NotifyUserDeps } from './notify-user.js';

/** Who may write to a user directly (support, operations); no role but ADMIN has it by default. */
export const SEND_NOTIFICATION_PERMISSION = 'admin:notifications:send';

export interface SendNotification {
  readonly userId: string;
  readonly type: NotificationType;
  readonly title: string;
  readonly body: string;
}

/** A person, not an event, writes to a user: the notification gets a new id. */
export const sendNotification =
  (deps: NotifyUserDeps & { newId: () => string }) =>
  async (command: SendNotification): Promise<Notification> => {
    const notification = await notifyUser(deps)({ ...command, notificationId: deps.newId() });
    if (!notification)
      throw new DomainError(
        'CONFLICT',
        'A notification with this id exists already; send it again.',
      );
    return notification;
  };
