/**
 * The notification consumer as a process of its own, for the crash test:
 * `node --import tsx notification-consumer-process.ts <postgres-url | pglite-dir> <position>`.
 * Handles each event slowly and says so on stdout, in batches of 50, and exits once
 * it has checkpointed `position`. The test kills it with SIGKILL midway.
 */
import { pino } from 'pino';
import type { MessageSubscriber } from '@simple-securities/event-sourcing';
import { NOTIFICATION_SEARCH_INDEX } from '@simple-securities/notification';
import {
  openPgliteDatabase,
  openPostgresServerDatabase,
  PostgresMessageBus,
  PostgresSearchIndex,
  type SqlDatabase,
  type SqlExecutor,
} from '@simple-securities/postgres';
import { systemClock } from '@simple-securities/shared-kernel';
import { postgresNotifications } from '../../src/adapters/postgres-notifications.js';
import { consumePublishedEvents } from '../../src/adapters/published-events-consumer.js';
import { PostgresNotificationFeed } from '../../src/live/postgres-notification-feed.js';

const [target = '', position = '0'] = process.argv.slice(2);
const logger = pino({ level: 'silent' });
const database: SqlDatabase = target.startsWith('postgres')
  ? openPostgresServerDatabase(target)
  : await openPgliteDatabase(target);
const bus = new PostgresMessageBus(database, { logger });
const slowly: MessageSubscriber<SqlExecutor> = {
  consume: (handler, options) =>
    bus.consume(
      async (event, context) => {
        await handler(event, context);
        await new Promise((resolve) => setTimeout(resolve, 5));
        process.stdout.write(`handled ${event.position}\n`);
      },
      { ...options, batchSize: 50 },
    ),
};
const feed = await PostgresNotificationFeed.start(
  database,
  postgresNotifications(database),
  logger,
);
const subscription = await consumePublishedEvents(slowly, {
  search: new PostgresSearchIndex(NOTIFICATION_SEARCH_INDEX, database),
  feed,
  // This process delivers no webhooks: the crash under test is the consumer's.
  deliverer: { wake: () => undefined },
  clock: systemClock,
});
await subscription.waitFor(Number(position), 120_000);
await subscription.stop();
await feed.stop();
await database.close();
process.stdout.write('done\n');
