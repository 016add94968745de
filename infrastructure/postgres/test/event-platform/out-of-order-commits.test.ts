import { afterAll, beforeAll, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  integrationEvent,
  type DeliveredEvent,
  type RecordedEvent,
} from '@simple-securities/event-sourcing';
import {
  PostgresEventStore,
  PostgresMessageBus,
  postgresOutbox,
  type SqlDatabase,
} from '../../src/index.js';
import {
  describeOnEachEngine,
  describeOnPostgresServer,
} from '../../src/testing/test-databases.js';
import { openPlatformDatabase, quietLogger } from './platform-database.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

const deferred = () => {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
};

/** A rolled-back append leaves a hole in the log on either engine. */
await describeOnEachEngine('log readers and a rolled-back append', (engine) => {
  let database: SqlDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    database = await openPlatformDatabase(engine);
    store = new PostgresEventStore(database, { logger: quietLogger });
  });
  afterAll(() => database.close());

  it('passes a hole left by a rolled-back append, once it is final', async () => {
    const seen: number[] = [];
    const subscription = await store.subscribe(
      async (event) => void seen.push(event.globalPosition),
      {
        after: 0,
      },
    );
    try {
      await store.appendToStream('kept-1', [{ type: 'Kept', data: {} }], {
        expectedVersion: 'no_stream',
      });
      await database
        .transaction(async (tx) => {
          await store
            .in(tx)
            .appendToStream('lost', [{ type: 'Lost', data: {} }], { expectedVersion: 'no_stream' });
          throw new Error('roll back');
        })
        .catch(() => undefined);
      const last = await store.appendToStream('kept-2', [{ type: 'Kept', data: {} }], {
        expectedVersion: 'no_stream',
      });
      await subscription.waitFor(last.lastPosition);
      expect(seen).toEqual([1, 3]);
    } finally {
      await subscription.stop();
    }
  });
});

/**
 * The gap problem, staged deterministically: a transaction draws position p and stays
 * open while a later one commits p+1. A reader that trusted the sequence would pass p
 * and never come back. Staging it needs two sessions at once, which only the server has.
 */
await describeOnPostgresServer('log readers and a late commit on the Postgres server', (server) => {
  let database: SqlDatabase;
  let store: PostgresEventStore;
  let bus: PostgresMessageBus;
  beforeAll(async () => {
    database = await openPlatformDatabase(server);
    store = new PostgresEventStore(database, { logger: quietLogger });
    bus = new PostgresMessageBus(database, { logger: quietLogger });
  });
  afterAll(() => database.close());

  it('event store: a subscriber waits for an earlier position that commits late, then delivers it first', async () => {
    const seen: RecordedEvent[] = [];
    const start = (await store.readAll({ after: 0 })).checkpoint;
    const subscription = await store.subscribe(async (event) => void seen.push(event), {
      after: start,
    });
    const holdOpen = deferred();
    try {
      const appended = deferred();
      const slow = database.transaction(async (tx) => {
        await store
          .in(tx)
          .appendToStream('slow', [{ type: 'Slow', data: {} }], { expectedVersion: 'no_stream' });
        appended.release();
        await holdOpen.promise;
      });
      await appended.promise;
      const fast = await store.appendToStream('fast', [{ type: 'Fast', data: {} }], {
        expectedVersion: 'no_stream',
      });
      await settle();
      expect(seen.filter((event) => event.type !== 'Kept')).toEqual([]);
      expect((await store.readAll({ after: fast.lastPosition - 2 })).events).toEqual([]);
      holdOpen.release();
      await slow;
      await subscription.waitFor(fast.lastPosition);
      const staged = seen.filter((event) => event.type === 'Slow' || event.type === 'Fast');
      expect(staged.map((event) => [event.type, event.globalPosition])).toEqual([
        ['Slow', fast.lastPosition - 1],
        ['Fast', fast.lastPosition],
      ]);
    } finally {
      holdOpen.release();
      await subscription.stop();
    }
  });

  it('message bus: a consumer group waits for an outbox row that commits late, then delivers it first', async () => {
    const seen: DeliveredEvent[] = [];
    const subscription = await bus.consume(async (event) => void seen.push(event), {
      consumer: 'late-commit',
    });
    const holdOpen = deferred();
    try {
      const enqueued = deferred();
      const slow = database.transaction(async (tx) => {
        await postgresOutbox.enqueue(tx, [
          integrationEvent({ type: 'slow', source: '/test', subject: 'a', data: {} }),
        ]);
        enqueued.release();
        await holdOpen.promise;
      });
      await enqueued.promise;
      const fast = await bus.publish([
        integrationEvent({ type: 'fast', source: '/test', subject: 'b', data: {} }),
      ]);
      await settle();
      expect(seen).toEqual([]);
      holdOpen.release();
      await slow;
      await subscription.waitFor(fast);
      expect(seen.map((event) => [event.type, event.position])).toEqual([
        ['slow', fast - 1],
        ['fast', fast],
      ]);
    } finally {
      holdOpen.release();
      await subscription.stop();
    }
  });
  it('message bus: passes a rolled-back outbox row while a transaction elsewhere on the server stays open', async () => {
    // An open transaction holds back the server's xmin horizon, in every database.
    // It writes nothing to the bus, so it cannot fill the hole and must not hold it.
    const elsewhere = await server.createDatabase();
    const idle = new pg.Client({ connectionString: elsewhere.url });
    await idle.connect();
    const seen: DeliveredEvent[] = [];
    const subscription = await bus.consume(async (event) => void seen.push(event), {
      consumer: 'hole-beside-an-open-transaction',
    });
    try {
      await idle.query('BEGIN');
      await idle.query('SELECT pg_current_xact_id()');
      await database
        .transaction(async (tx) => {
          await postgresOutbox.enqueue(tx, [
            integrationEvent({ type: 'lost', source: '/test', subject: 'a', data: {} }),
          ]);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      const kept = await bus.publish([
        integrationEvent({ type: 'kept', source: '/test', subject: 'b', data: {} }),
      ]);
      await subscription.waitFor(kept);
      const staged = seen.filter((event) => event.type === 'lost' || event.type === 'kept');
      expect(staged.map((event) => event.type)).toEqual(['kept']);
    } finally {
      await subscription.stop();
      await idle.end();
      await elsewhere.drop();
    }
  });
});
