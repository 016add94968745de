import { DomainError, MAX_PAGE_SIZE, type Page } from '@simple-securities/shared-kernel';
import type { Notification } from '../../domain/notification.js';
import type { NotificationQuery, NotificationReadModel } from '../ports/notification-repository.js';

export const listNotifications =
  (deps: { readModel: NotificationReadModel }) =>
  async (userId: string, query: NotificationQuery): Promise<Page<Notification>> => {
    if (!Number.isInteger(query.first) || query.first < 1 || query.first > MAX_PAGE_SIZE) {
      throw new DomainError('BAD_USER_INPUT', `"first" must be between 1 and ${MAX_PAGE_SIZE}.`);
    }
    return deps.readModel.listForUser(userId, query);
  };
