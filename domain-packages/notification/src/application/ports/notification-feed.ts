import type { Notification } from '../../domain/notification.js';

/**
 * New notifications, live. `announce` is called once a notification is stored (its
 * transaction committed); every subscriber of its user, on any replica, receives it.
 */
export interface NotificationFeed {
  announce(notification: Notification): void;
  /** The user's notifications announced from now on; the caller ends it with `return()`. */
  follow(userId: string): AsyncIterableIterator<Notification>;
}
