import type { HandlerContext, SearchIndex } from '@simple-securities/event-sourcing';
import {
  notifyUser,
  type NotificationFeed,
  type NotifyUser,
} from '@simple-securities/notification';
import type { SqlExecutor } from '@simple-securities/postgres';
import type { Clock } from '@simple-securities/shared-kernel';
import { postgresNotifications } from './postgres-notifications.js';
import { postgresPushQueue } from './postgres-push-deliveries.js';
import type { PushDeliverer } from './push-deliverer.js';

export interface ConsumerDeps {
  readonly search: SearchIndex<SqlExecutor>;
  readonly feed: NotificationFeed;
  readonly deliverer: Pick<PushDeliverer, 'wake'>;
  readonly clock: Clock;
}

/**
 * Stores a notification (with its search document and its pending webhook push) in the
 * transaction that moves the consumer's checkpoint, so all commit together, and announces
 * it live and to the deliverer once they have. Its id comes from the source event: a redelivered event finds it stored and
 * notifies nobody again.
 */
export const notifyInTransaction =
  ({ search, feed, deliverer, clock }: ConsumerDeps) =>
  async (command: NotifyUser, { tx, afterCommit }: HandlerContext<SqlExecutor>): Promise<void> => {
    const notification = await notifyUser({
      notifications: postgresNotifications(tx),
      search: search.in(tx),
      pushes: postgresPushQueue(tx),
      clock,
    })(command);
    if (!notification) return;
    afterCommit(() => {
      feed.announce(notification);
      deliverer.wake();
    });
  };
