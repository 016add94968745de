import type { Clock } from '@simple-securities/shared-kernel';
import type {
  NotificationFilter,
  NotificationRepository,
} from '../ports/notification-repository.js';

export interface MarkAllNotificationsRead extends NotificationFilter {
  readonly userId: string;
}

/** The user cleared their unread notifications (all, or those of one type) at once. */
export const markAllNotificationsRead =
  (deps: { notifications: NotificationRepository; clock: Clock }) =>
  /** Resolves to how many were unread and are now read. */
  ({ userId, ...filter }: MarkAllNotificationsRead): Promise<number> =>
    deps.notifications.markAllRead(userId, deps.clock.now(), filter);
