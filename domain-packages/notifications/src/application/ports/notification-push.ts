import type { Notification } from '../../domain/notification.js';

/** Delivers a new notification to the recipient's live sessions, if any. */
export interface NotificationPush {
  push(notification: Notification): void;
}
