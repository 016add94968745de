import { DomainError } from '@simple-securities/shared-kernel';

export const NOTIFICATION_TYPES = [
  'WELCOME',
  'ACCOUNT',
  'WALLET',
  'ORDER',
  'PRICE_ALERT',
  'SYSTEM',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/**
 * A message for one user. "Viewed" means it was shown to the user (e.g. in a
 * list); "read" means the user opened it. Both happen once: the first time
 * counts, later marks keep the original time.
 */
export interface Notification {
  readonly id: string;
  readonly userId: string;
  readonly type: NotificationType;
  readonly title: string;
  readonly body: string;
  readonly createdAt: Date;
  readonly readAt: Date | null;
  readonly viewedAt: Date | null;
}

export const TITLE_MAX_LENGTH = 200;
export const BODY_MAX_LENGTH = 4000;

export const createNotification = (
  fields: Omit<Notification, 'readAt' | 'viewedAt'>,
): Notification => {
  const title = fields.title.trim();
  const body = fields.body.trim();
  if (!title || title.length > TITLE_MAX_LENGTH) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `A notification title needs 1 to ${TITLE_MAX_LENGTH} characters.`,
    );
  }
  if (body.length > BODY_MAX_LENGTH) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `A notification body has at most ${BODY_MAX_LENGTH} characters.`,
    );
  }
  return { ...fields, title, body, readAt: null, viewedAt: null };
};

/** Only the recipient may see or change a notification; to anyone else it does not exist. */
export const ensureRecipient = (
  notification: Notification | undefined,
  userId: string,
): Notification => {
  if (!notification || notification.userId !== userId) {
    throw new DomainError('NOT_FOUND', 'No such notification.');
  }
  return notification;
};

export const markRead = (notification: Notification, at: Date): Notification =>
  notification.readAt
    ? notification
    : { ...notification, readAt: at, viewedAt: notification.viewedAt ?? at };

export const markViewed = (notification: Notification, at: Date): Notification =>
  notification.viewedAt ? notification : { ...notification, viewedAt: at };
