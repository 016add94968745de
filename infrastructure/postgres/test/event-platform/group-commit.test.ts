import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { ConcurrencyError } from '@simple-securities/event-sourcing';
import { PostgresEventStore, type SqlDatabase } from '../../src/index.js';
import { describeOnPostgresServer } from '../../src/testing/test-databases.js';
import { openPlatformDatabase, quietLogger } from './platform-database.js';

const event = (eventId?: string) => [{ type: 'Happened', data: { at: 'now' }, eventId }];

/**
 * Group commit only runs on a server (a pool). Appends issued in the same turn of the
 * event loop are grouped, so the tests can tell grouped from not by the transaction ids
 * stored with the events.
 */
await describeOnPostgresServer('group commit on the Postgres server', (server) => {
  let database: SqlDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    database = await openPlatformDatabase(server);
    store = new PostgresEventStore(database, { logger: quietLogger });
  });
  afterAll(() => database.close());

  const transactionsOf = async (streams: string[]) => {
    const { rows } = await database.query<{ stream_id: string; version: number; tx: string }>(
      `SELECT stream_id, stream_version::int AS version, xmin::text AS tx
         FROM es_events WHERE stream_id = ANY($1)`,
      [streams],
    );
    return rows;
  };

  it('lands many concurrent single-event appends to distinct streams, in shared transactions', async () => {
    const streams = Array.from({ length: 200 }, (_, n) => `distinct-${n}`);
    const results = await Promise.all(
      streams.map((stream) =>
        store.appendToStream(stream, event(), { expectedVersion: 'no_stream' }),
      ),
    );
    expect(results.map((result) => result.nextExpectedVersion)).toEqual(streams.map(() => 1));
    expect(new Set(results.map((result) => result.lastPosition)).size).toBe(200);
    for (const [index, stream] of streams.entries()) {
      const [recorded] = await store.readStream(stream);
      expect(recorded?.globalPosition).toBe(results[index]?.lastPosition);
    }
    const transactions = new Set((await transactionsOf(streams)).map((row) => row.tx));
    expect(transactions.size).toBeLessThan(200);
    const { events } = await store.readAll({ maxCount: 1000 });
    expect(events.filter((recorded) => recorded.streamId.startsWith('distinct-'))).toHaveLength(
      200,
    );
  });

  it('runs appends to one stream in a group as if one after another', async () => {
    const results = await Promise.all([
      store.appendToStream('sequential', event(), { expectedVersion: 'no_stream' }),
      store.appendToStream('sequential', event(), { expectedVersion: 1 }),
      store.appendToStream('sequential', event(), { expectedVersion: 'any' }),
      store.appendToStream('sequential', event(), { expectedVersion: 'stream_exists' }),
      store.appendToStream('sequential', event(), { expectedVersion: 4 }),
      store.appendToStream('sequential-new', event(), { expectedVersion: 'any' }),
    ]);
    expect(results.map((result) => result.nextExpectedVersion)).toEqual([1, 2, 3, 4, 5, 1]);
    const transactions = new Set(
      (await transactionsOf(['sequential', 'sequential-new'])).map((row) => row.tx),
    );
    expect(transactions.size).toBe(1);
  });

  it('lets exactly one of many grouped appends with the same expected version win', async () => {
    await store.appendToStream('contended', event(), { expectedVersion: 'no_stream' });
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 20 }, () =>
        store.appendToStream('contended', event(), { expectedVersion: 1 }),
      ),
      store.appendToStream('contended-neighbour', event(), { expectedVersion: 'no_stream' }),
    ]);
    const neighbour = outcomes.pop();
    expect(neighbour?.status).toBe('fulfilled');
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const outcome of outcomes.filter((lost) => lost.status === 'rejected')) {
      expect(outcome.reason).toBeInstanceOf(ConcurrencyError);
      expect((outcome.reason as ConcurrencyError).actualVersion).toBe(2);
    }
    expect((await store.readStream('contended')).map((recorded) => recorded.streamVersion)).toEqual(
      [1, 2],
    );
    const rows = await transactionsOf(['contended', 'contended-neighbour']);
    const winner = rows.find((row) => row.stream_id === 'contended' && row.version === 2);
    expect(winner).toBeDefined();
    expect(rows.find((row) => row.stream_id === 'contended-neighbour')?.tx).toBe(winner?.tx);
  });

  it('fails a conflicting append alone while the rest of its group commits together', async () => {
    await store.appendToStream('settled', event(), { expectedVersion: 'no_stream' });
    const streams = Array.from({ length: 10 }, (_, n) => `together-${n}`);
    const [conflicting, ...others] = await Promise.allSettled([
      store.appendToStream('settled', event(), { expectedVersion: 5 }),
      ...streams.map((stream) =>
        store.appendToStream(stream, event(), { expectedVersion: 'no_stream' }),
      ),
    ]);
    expect(conflicting?.status === 'rejected' && conflicting.reason).toBeInstanceOf(
      ConcurrencyError,
    );
    expect(others.map((outcome) => outcome.status)).toEqual(streams.map(() => 'fulfilled'));
    expect(new Set((await transactionsOf(streams)).map((row) => row.tx)).size).toBe(1);
  });

  it('fails only the faulty append when the server rejects a group', async () => {
    await store.appendToStream('taken', event('taken-id'), { expectedVersion: 'no_stream' });
    const streams = Array.from({ length: 10 }, (_, n) => `bystander-${n}`);
    const [duplicate, ...bystanders] = await Promise.allSettled([
      store.appendToStream('duplicate', event('taken-id'), { expectedVersion: 'no_stream' }),
      ...streams.map((stream) =>
        store.appendToStream(stream, event(), { expectedVersion: 'no_stream' }),
      ),
    ]);
    expect(duplicate?.status).toBe('rejected');
    expect(duplicate?.status === 'rejected' && duplicate.reason instanceof ConcurrencyError).toBe(
      false,
    );
    expect(bystanders.map((outcome) => outcome.status)).toEqual(streams.map(() => 'fulfilled'));
    expect(await store.readStream('duplicate')).toEqual([]);
    for (const stream of streams) expect(await store.readStream(stream)).toHaveLength(1);
  });

  it('keeps readers gap-safe while groups commit', async () => {
    const seen: string[] = [];
    const subscription = await store.subscribe(
      async (recorded) => void seen.push(recorded.eventId),
      { after: 0 },
    );
    try {
      const appended = await Promise.all(
        Array.from({ length: 8 }, async (_, writer) => {
          const ids: string[] = [];
          for (let n = 0; n < 25; n++) {
            const eventId = `reader-${writer}-${n}`;
            await store.appendToStream(`reader-${writer}`, event(eventId), {
              expectedVersion: n === 0 ? 'no_stream' : n,
            });
            ids.push(eventId);
          }
          return ids;
        }),
      );
      const expected = appended.flat();
      const deadline = Date.now() + 10_000;
      while (expected.some((id) => !seen.includes(id)) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(expected.filter((id) => !seen.includes(id))).toEqual([]);
      expect(new Set(seen).size).toBe(seen.length);
    } finally {
      await subscription.stop();
    }
  });
});
