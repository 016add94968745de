import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { NOTIFICATION_SEARCH_INDEX, type RetryPolicy } from '@simple-securities/notification';
import { PostgresSearchIndex } from '@simple-securities/postgres';
import {
  defineSubgraphService,
  type RunningService,
  startSubgraphServer,
  type SubgraphServiceDependencies,
} from '@simple-securities/service-kit';
import { postgresNotifications } from './adapters/postgres-notifications.js';
import {
  postgresNotificationWebhooks,
  postgresPushDeliveries,
} from './adapters/postgres-push-deliveries.js';
import { consumePublishedEvents } from './adapters/published-events-consumer.js';
import { startPushDeliverer } from './adapters/push-deliverer.js';
import { sendInTransaction } from './adapters/send-in-transaction.js';
import { webhookPushChannel } from './adapters/webhook/webhook-push-channel.js';
import { consumeUserRegistrations } from './adapters/welcome-new-users-consumer.js';
import { type NotificationConfig, notificationConfig } from './config.js';
import { resolvers, type NotificationContext } from './graphql/resolvers.js';
import { typeDefs } from './graphql/schema.js';
import { startNotificationGrpcServer } from './grpc/notification-grpc-server.js';
import { PostgresNotificationFeed } from './live/postgres-notification-feed.js';

/** No pause between two attempts of a push is longer. */
const MAX_RETRY_DELAY_MS = 15 * 60_000;

const retryPolicyOf = (config: NotificationConfig): RetryPolicy => ({
  maxAttempts: config.NOTIFICATION_WEBHOOK_MAX_ATTEMPTS,
  baseDelayMs: config.NOTIFICATION_WEBHOOK_BACKOFF_MS,
  maxDelayMs: MAX_RETRY_DELAY_MS,
});

/**
 * Wires the notification context's adapters to its use cases, starts its event
 * consumers, its live feed and its webhook deliverer, and serves the subgraph (queries
 * over HTTP, `notificationAdded` over graphql-ws) and the internal gRPC service.
 */
export const startNotificationService = async ({
  database,
  bus,
  logger,
  clock,
  server,
  config,
}: SubgraphServiceDependencies<NotificationConfig>): Promise<RunningService> => {
  const notifications = postgresNotifications(database);
  const search = new PostgresSearchIndex(NOTIFICATION_SEARCH_INDEX, database);
  const webhooks = postgresNotificationWebhooks(database);
  const deliveries = postgresPushDeliveries(database);
  const allowPrivateWebhooks = config.NOTIFICATION_WEBHOOK_ALLOW_PRIVATE;
  const deliverer = startPushDeliverer(
    {
      deliveries,
      channel: webhookPushChannel({
        timeoutMs: config.NOTIFICATION_WEBHOOK_TIMEOUT_MS,
        allowPrivateAddresses: allowPrivateWebhooks,
      }),
      policy: retryPolicyOf(config),
      clock,
      random: Math.random,
      // Longer than an attempt can take, so a push is never attempted twice at once.
      leaseMs: config.NOTIFICATION_WEBHOOK_TIMEOUT_MS * 2 + 5_000,
    },
    logger.child({ component: 'webhook-deliverer' }),
  );
  // What started so far, in the order to stop it, should a later part fail to start.
  const started: { stop(): Promise<void> }[] = [deliverer];
  const parts = async () => {
    const feed = await PostgresNotificationFeed.start(database, notifications, logger);
    started.unshift(feed);
    const consumerDeps = { search, feed, deliverer, clock };
    const registrations = await consumeUserRegistrations(bus, consumerDeps);
    started.unshift(registrations);
    const publishedEvents = await consumePublishedEvents(bus, consumerDeps);
    started.unshift(publishedEvents);
    const send = sendInTransaction({ database, search, feed, deliverer, clock, newId: randomUUID });
    const grpc = await startNotificationGrpcServer({
      deps: { notifications, send },
      internalToken: server.internalToken,
      logger,
      host: server.host,
      port: config.NOTIFICATION_GRPC_PORT,
    });
    return { feed, registrations, publishedEvents, send, grpc };
  };
  const { feed, registrations, publishedEvents, send, grpc } = await parts().catch(
    async (error: unknown) => {
      for (const part of started) await part.stop();
      throw error;
    },
  );
  const running = await startSubgraphServer<NotificationContext>(
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
        send,
        webhooks,
        deliveries,
        allowPrivateWebhooks,
      }),
    },
    {
      ...server,
      logger,
      subscriptions: true,
      // gRPC and the consumers first: what they announce while stopping still finds
      // the feed; the deliverer last, so nothing wakes it once it has stopped.
      stopAfter: [grpc, registrations, publishedEvents, feed, deliverer],
    },
  );
  return { ...running, internalGrpc: grpc.address };
};

export const notificationSubgraph = defineSubgraphService({
  name: 'notification',
  defaultPort: 4004,
  config: notificationConfig,
  migrations: [fileURLToPath(new URL('../migrations/', import.meta.url))],
  start: startNotificationService,
});
