import type { SearchDocument } from '@simple-securities/event-sourcing';
import type { Notification } from '../../domain/notification.js';

/** The name of the search index notifications are written to. */
export const NOTIFICATION_SEARCH_INDEX = 'notifications';

/** A notification as the search port indexes it: its words, and its recipient to narrow by. */
export const searchDocumentOf = (notification: Notification): SearchDocument => ({
  id: notification.id,
  title: notification.title,
  body: notification.body,
  attributes: { userId: notification.userId, type: notification.type },
});
