import { fileURLToPath } from 'node:url';
import type { SqlDatabase } from '@simple-securities/postgres';
import {
  type Logger,
  type RunningService,
  startSubgraphServer,
} from '@simple-securities/service-kit';
import { systemClock, type Clock } from '@simple-securities/shared-kernel';
import { postgresNotifications } from './adapters/postgres-notifications.js';
import { resolvers, type NotificationContext } from './graphql/resolvers.js';
import { typeDefs } from './graphql/schema.js';

export const notificationMigrationsDirs = [
  fileURLToPath(new URL('../migrations/', import.meta.url)),
];

export interface NotificationServiceOptions {
  readonly database: SqlDatabase;
  readonly logger: Logger;
  readonly port: number;
  readonly host?: string;
  readonly internalToken: string;
  readonly clock?: Clock;
}

/** Wires the notification context's adapters to its use cases and serves the subgraph. */
export const startNotificationService = async (
  options: NotificationServiceOptions,
): Promise<RunningService> => {
  const notifications = postgresNotifications(options.database);
  const clock = options.clock ?? systemClock;
  return startSubgraphServer<NotificationContext>(
    {
      name: 'notification',
      typeDefs,
      resolvers,
      extendContext: (base) => ({ ...base, notifications, clock }),
    },
    {
      port: options.port,
      host: options.host,
      logger: options.logger,
      internalToken: options.internalToken,
    },
  );
};
