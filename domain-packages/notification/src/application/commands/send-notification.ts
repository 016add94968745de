import { DomainError } from '@simple-securities/shared-kernel';
import type { Notification, NotificationType } from '../../domain/notification.js';
import { notifyUser, type NotifyUserDeps } from './notify-user.js';

/** Who may write to a user directly (support, operations); no role but ADMIN has it by default. */
export const SEND_NOTIFICATION_PERMISSION = 'admin:notifications:send';

export interface SendNotification {
  /**
   * Chosen by a caller that retries (another service): a retry with the same payload
   * gets the first notification back. A new id is given when left out.
   */
  readonly notificationId?: string;
  readonly userId: string;
  readonly type: NotificationType;
  readonly title: string;
  readonly body: string;
}

export interface SentNotification {
  readonly notification: Notification;
  /** True when this answered a retry and wrote nothing. */
  readonly replayed: boolean;
}

type Payload = Pick<Notification, 'userId' | 'type' | 'title' | 'body'>;

const samePayload = (stored: Payload, sent: Payload) =>
  stored.userId === sent.userId &&
  stored.type === sent.type &&
  stored.title === sent.title &&
  stored.body === sent.body;

/** A person or another service, not an event, writes to a user. */
export const sendNotification =
  (deps: NotifyUserDeps & { newId: () => string }) =>
  async (command: SendNotification): Promise<SentNotification> => {
    const notificationId = command.notificationId ?? deps.newId();
    const written = await notifyUser(deps)({ ...command, notificationId });
    if (written) return { notification: written, replayed: false };
    const stored = await deps.notifications.findById(notificationId);
    // notifyUser validated and trimmed the payload, so the stored one is comparable.
    const sent = { ...command, title: command.title.trim(), body: command.body.trim() };
    if (!stored || !samePayload(stored, sent))
      throw new DomainError(
        'CONFLICT',
        'A notification with this id exists already, with another recipient or content.',
      );
    return { notification: stored, replayed: true };
  };
