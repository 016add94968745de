import type { Page, PageRequest } from '@simple-securities/shared-kernel';
import type { Notification } from '../../domain/notification.js';

export interface NotificationRepository {
  findById(id: string): Promise<Notification | undefined>;
  /** Stores a new notification; false when one with this id exists already (a redelivered event). */
  add(notification: Notification): Promise<boolean>;
  update(notification: Notification): Promise<void>;
}

export interface NotificationQuery extends PageRequest {
  readonly unreadOnly: boolean;
}

/** The read side: newest first. */
export interface NotificationReadModel {
  listForUser(userId: string, query: NotificationQuery): Promise<Page<Notification>>;
  countUnread(userId: string): Promise<number>;
}
