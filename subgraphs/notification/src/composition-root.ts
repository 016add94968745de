import { fileURLToPath } from 'node:url';
import type { MessageSubscriber } from '@simple-securities/event-sourcing';
import {
  platformMigrationsDir,
  type SqlDatabase,
  type SqlExecutor,
} from '@simple-securities/postgres';
import {
  type Logger,
  type RunningService,
  startSubgraphServer,
} from '@simple-securities/service-kit';
import { systemClock, type Clock } from '@simple-securities/shared-kernel';
import { postgresNotifications } from './adapters/postgres-notifications.js';
import { consumeUserRegistrations } from './adapters/welcome-new-users-consumer.js';
import { resolvers, type NotificationContext } from './graphql/resolvers.js';
import { typeDefs } from './graphql/schema.js';

/** The event platform (its consumers' checkpoints) and the notification tables. */
export const notificationMigrationsDirs = [
  platformMigrationsDir,
  fileURLToPath(new URL('../migrations/', import.meta.url)),
];

export interface NotificationServiceOptions {
  readonly database: SqlDatabase;
  /** Where the other contexts' integration events arrive. */
  readonly bus: MessageSubscriber<SqlExecutor>;
  readonly logger: Logger;
  readonly port: number;
  readonly host?: string;
  readonly internalToken: string;
  readonly clock?: Clock;
}

/**
 * Wires the notification context's adapters to its use cases, starts its event
 * consumers and serves the subgraph.
 */
export const startNotificationService = async (
  options: NotificationServiceOptions,
): Promise<RunningService> => {
  const notifications = postgresNotifications(options.database);
  const clock = options.clock ?? systemClock;
  const registrations = await consumeUserRegistrations(options.bus, clock);
  const server = await startSubgraphServer<NotificationContext>(
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
  return {
    ...server,
    async stop() {
      await registrations.stop();
      await server.stop();
    },
  };
};
