import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { integrationEvent, type DeliveredEvent } from '@simple-securities/event-sourcing';
import {
  PostgresMessageBus,
  postgresOutbox,
  startDurableConsumer,
  type SqlDatabase,
} from '../../src/index.js';
import { messageLog } from '../../src/message-bus/message-log.js';
import {
  describeOnEachEngine,
  describeOnPostgresServer,
} from '../../src/testing/test-databases.js';
import { openPlatformDatabase, quietLogger } from './platform-database.js';

/** Far longer than any test runs: a consumer that polled would never see the event. */
const NEVER_POLL_MS = 3_600_000;

/**
 * Consumers are woken by LISTEN/NOTIFY; the poll is only a fallback. With the poll out of
 * reach, an event reaches the handler only if its wake-up does.
 */
await describeOnEachEngine('bus wake-ups', (engine) => {
  let database: SqlDatabase;
  let bus: PostgresMessageBus;
  beforeAll(async () => {
    database = await openPlatformDatabase(engine);
    bus = new PostgresMessageBus(database, { logger: quietLogger });
  });
  afterAll(() => database.close());

  const consumeWithoutPolling = (consumer: string, seen: DeliveredEvent[]) =>
    startDurableConsumer({
      database,
      source: messageLog,
      consumer,
      handler: async (event) => void seen.push(event),
      logger: quietLogger,
      idleMs: NEVER_POLL_MS,
    });

  it('a published event reaches a consumer group without waiting for the poll', async () => {
    const seen: DeliveredEvent[] = [];
    const subscription = await consumeWithoutPolling('woken-by-publish', seen);
    try {
      const position = await bus.publish([
        integrationEvent({ type: 'published', source: '/test', subject: 'a', data: {} }),
      ]);
      await subscription.waitFor(position);
      expect(seen.map((event) => event.type)).toContain('published');
    } finally {
      await subscription.stop();
    }
  });

  it('an outbox row reaches a consumer group when its transaction commits, without waiting for the poll', async () => {
    const seen: DeliveredEvent[] = [];
    const subscription = await consumeWithoutPolling('woken-by-outbox', seen);
    try {
      const event = integrationEvent({ type: 'enqueued', source: '/test', subject: 'b', data: {} });
      await database.transaction((tx) => postgresOutbox.enqueue(tx, [event]));
      const { rows } = await database.query<{ position: number }>(
        'SELECT position::int AS position FROM bus_messages WHERE message_id = $1',
        [event.id],
      );
      await subscription.waitFor(rows[0]?.position ?? Number.MAX_SAFE_INTEGER);
      expect(seen.map((delivered) => delivered.id)).toContain(event.id);
    } finally {
      await subscription.stop();
    }
  });
});

await describeOnPostgresServer('bus wake-ups after the listening connection drops', (server) => {
  let database: SqlDatabase;
  beforeAll(async () => {
    database = await openPlatformDatabase(server);
  });
  afterAll(() => database.close());

  it('a consumer group listens again and finds what was published while it could not hear', async () => {
    const seen: DeliveredEvent[] = [];
    const subscription = await startDurableConsumer({
      database,
      source: messageLog,
      consumer: 'woken-after-a-drop',
      handler: async (event) => void seen.push(event),
      logger: quietLogger,
      idleMs: NEVER_POLL_MS,
    });
    try {
      const { rows } = await database.query<{ killed: boolean }>(
        `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
          WHERE datname = current_database() AND query = 'LISTEN "bus_messages"'`,
      );
      expect(rows).toEqual([{ killed: true }]);
      // Published before the consumer listens again: no notification will ever announce it.
      const bus = new PostgresMessageBus(database, { logger: quietLogger });
      const position = await bus.publish([
        integrationEvent({ type: 'during-the-drop', source: '/test', subject: 'c', data: {} }),
      ]);
      await subscription.waitFor(position, 30_000);
      expect(seen.map((event) => event.type)).toContain('during-the-drop');
    } finally {
      await subscription.stop();
    }
  });
});
