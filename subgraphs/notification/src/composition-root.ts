import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { NOTIFICATION_SEARCH_INDEX } from '@simple-securities/notification';
import { PostgresSearchIndex } from '@simple-securities/postgres';
import {
  defineSubgraphService,
  type RunningService,
  startSubgraphServer,
  type SubgraphServiceDependencies,
} from '@simple-securities/service-kit';
import { postgresNotifications } from './adapters/postgres-notifications.js';
import { consumePublishedEvents } from './adapters/published-events-consumer.js';
import { consumeUserRegistrations } from './adapters/welcome-new-users-consumer.js';
import { resolvers, type NotificationContext } from './graphql/resolvers.js';
import { typeDefs } from './graphql/schema.js';
import { PostgresNotificationFeed } from './live/postgres-notification-feed.js';

/**
 * Wires the notification context's adapters to its use cases, starts its event
 * consumers and its live feed, and serves the subgraph (queries over HTTP,
 * `notificationAdded` over graphql-ws).
 */
export const startNotificationService = async ({
  database,
  bus,
  logger,
  clock,
  server,
}: SubgraphServiceDependencies<unknown>): Promise<RunningService> => {
  const notifications = postgresNotifications(database);
  const search = new PostgresSearchIndex(NOTIFICATION_SEARCH_INDEX, database);
  const feed = await PostgresNotificationFeed.start(database, notifications, logger);
  const consumerDeps = { search, feed, clock };
  const registrations = await consumeUserRegistrations(bus, consumerDeps);
  const publishedEvents = await consumePublishedEvents(bus, consumerDeps);
  return startSubgraphServer<NotificationContext>(
    {
      name: 'notification',
      typeDefs,
      resolvers,
      extendContext: (base) => ({
        ...base,
        notifications,
        search,
        feed,
        clock,
        newId: randomUUID,
      }),
    },
    {
      ...server,
      logger,
      subscriptions: true,
      // Consumers first: what they announce while stopping still finds the feed.
      stopAfter: [registrations, publishedEvents, feed],
    },
  );
};

export const notificationSubgraph = defineSubgraphService({
  name: 'notification',
  defaultPort: 4004,
  config: {},
  migrations: [fileURLToPath(new URL('../migrations/', import.meta.url))],
  start: startNotificationService,
});
