import type { Page, PageRequest } from '@simple-securities/shared-kernel';
import type { Notification, NotificationType } from '../../domain/notification.js';

export interface NotificationFilter {
  /** Only those the user has not read. */
  readonly unreadOnly?: boolean;
  readonly type?: NotificationType;
}

export interface NotificationRepository {
  findById(id: string): Promise<Notification | undefined>;
  /** Stores a new notification; false when one with this id exists already (a redelivered event). */
  add(notification: Notification): Promise<boolean>;
  update(notification: Notification): Promise<void>;
  /**
   * Marks every unread notification of the user that matches `filter` read at `at`, as
   * `markRead` would one at a time. Resolves to how many it marked.
   */
  markAllRead(userId: string, at: Date, filter: NotificationFilter): Promise<number>;
}

export interface NotificationQuery extends PageRequest, NotificationFilter {}

/** The read side: newest first. */
export interface NotificationReadModel {
  listForUser(userId: string, query: NotificationQuery): Promise<Page<Notification>>;
  /** The user's notifications among `ids`, in no particular order; others' are left out. */
  findForUser(userId: string, ids: readonly string[]): Promise<Notification[]>;
  countUnread(userId: string): Promise<number>;
}
