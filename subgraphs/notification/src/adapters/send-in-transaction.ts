import type { SearchIndex } from '@simple-securities/event-sourcing';
import {
  type NotificationFeed,
  type SendNotification,
  sendNotification,
  type SentNotification,
} from '@simple-securities/notification';
import type { SqlDatabase, SqlExecutor } from '@simple-securities/postgres';
import type { Clock } from '@simple-securities/shared-kernel';
import { postgresNotifications } from './postgres-notifications.js';
import { postgresPushQueue } from './postgres-push-deliveries.js';
import type { PushDeliverer } from './push-deliverer.js';

export interface SendDeps {
  readonly database: SqlDatabase;
  readonly search: SearchIndex<SqlExecutor>;
  readonly feed: NotificationFeed;
  readonly deliverer: Pick<PushDeliverer, 'wake'>;
  readonly clock: Clock;
  readonly newId: () => string;
}

/**
 * Sends a notification as GraphQL's sendNotification and gRPC's Send do: the
 * notification, its search document and its pending push in one transaction; then,
 * once committed, live to its user and to the deliverer. A replayed send announces
 * nothing again.
 */
export const sendInTransaction =
  ({ database, search, feed, deliverer, clock, newId }: SendDeps) =>
  async (command: SendNotification): Promise<SentNotification> => {
    const sent = await database.transaction((tx) =>
      sendNotification({
        notifications: postgresNotifications(tx),
        search: search.in(tx),
        pushes: postgresPushQueue(tx),
        clock,
        newId,
      })(command),
    );
    if (!sent.replayed) {
      feed.announce(sent.notification);
      deliverer.wake();
    }
    return sent;
  };
