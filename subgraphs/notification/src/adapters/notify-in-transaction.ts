import type { HandlerContext, SearchIndex } from '@simple-securities/event-sourcing';
import {
  notifyUser,
  type NotificationFeed,
  type NotifyUser,
} from '@simple-securities/notification';
import type { SqlExecutor } from '@simple-securities/postgres';
import type { Clock } from '@simple-securities/shared-kernel';
import { postgresNotifications } from './postgres-notifications.js';

export interface ConsumerDeps {
  readonly search: SearchIndex<SqlExecutor>;
  readonly feed: NotificationFeed;
  readonly clock: Clock;
}

/**
 * Stores a notification (and its search document) in the transaction that moves the
 * consumer's checkpoint, so both commit together, and announces it live once they
 * have. Its id comes from the source event: a redelivered event finds it stored and
 * notifies nobody again.
 */
export const notifyInTransaction =
  ({ search, feed, clock }: ConsumerDeps) =>
  async (command: NotifyUser, { tx, afterCommit }: HandlerContext<SqlExecutor>): Promise<void> => {
    const notification = await notifyUser({
      notifications: postgresNotifications(tx),
      search: search.in(tx),
      clock,
    })(command);
    if (notification) afterCommit(() => feed.announce(notification));
  };
