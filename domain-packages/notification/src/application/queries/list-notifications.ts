import type { Page } from '@simple-securities/shared-kernel';
import type { Notification } from '../../domain/notification.js';
import type { NotificationQuery, NotificationReadModel } from '../ports/notification-repository.js';
import { checkPageSize } from './page-size.js';

/** The user's notifications, newest first, narrowed by `query`'s filter. */
export const listNotifications =
  (deps: { readModel: NotificationReadModel }) =>
  async (userId: string, query: NotificationQuery): Promise<Page<Notification>> => {
    checkPageSize(query.first);
    return deps.readModel.listForUser(userId, query);
  };
