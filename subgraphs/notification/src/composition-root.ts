import { fileURLToPath } from 'node:url';
import {
  defineSubgraphService,
  type RunningService,
  startSubgraphServer,
  type SubgraphServiceDependencies,
} from '@simple-securities/service-kit';
import { postgresNotifications } from './adapters/postgres-notifications.js';
import { consumeUserRegistrations } from './adapters/welcome-new-users-consumer.js';
import { resolvers, type NotificationContext } from './graphql/resolvers.js';
import { typeDefs } from './graphql/schema.js';

/**
 * Wires the notification context's adapters to its use cases, starts its event
 * consumers and serves the subgraph.
 */
export const startNotificationService = async ({
  database,
  bus,
  logger,
  clock,
  server,
}: SubgraphServiceDependencies<unknown>): Promise<RunningService> => {
  const notifications = postgresNotifications(database);
  const registrations = await consumeUserRegistrations(bus, clock);
  return startSubgraphServer<NotificationContext>(
    {
      name: 'notification',
      typeDefs,
      resolvers,
      extendContext: (base) => ({ ...base, notifications, clock }),
    },
    { ...server, logger, stopAfter: [registrations] },
  );
};

export const notificationSubgraph = defineSubgraphService({
  name: 'notification',
  defaultPort: 4004,
  config: {},
  migrations: [fileURLToPath(new URL('../migrations/', import.meta.url))],
  start: startNotificationService,
});
