import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { ConcurrencyError, type NewEvent } from '@simple-securities/event-sourcing';
import {
  PostgresEventStore,
  migrate,
  openPostgresServerDatabase,
  platformMigrationsDir,
  type PostgresServerDatabase,
} from '../../src/index.js';
import { describeOnPostgresServer, type TestServerDatabase } from '../../src/testing/index.js';
import { quietLogger } from './platform-database.js';

/** Two events: an append of more than one event never goes through group commit. */
const pair = (writer: string): NewEvent[] => [
  { type: 'Reserved', data: { writer } },
  { type: 'Confirmed', data: { writer } },
];

const deferred = () => {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
};

/**
 * Two services appending to the same stream: two event stores, each with its own pool,
 * on one database of the server. Only the row lock on the stream decides who wins.
 */
await describeOnPostgresServer(
  'concurrent appends from two processes on the Postgres server',
  (server) => {
    let created: TestServerDatabase;
    let first: PostgresServerDatabase;
    let second: PostgresServerDatabase;
    let one: PostgresEventStore;
    let other: PostgresEventStore;

    beforeAll(async () => {
      created = await server.createDatabase();
      first = openPostgresServerDatabase(created.url, { maxConnections: 4 });
      second = openPostgresServerDatabase(created.url, { maxConnections: 4 });
      await migrate({ database: first, directories: [platformMigrationsDir], logger: quietLogger });
      one = new PostgresEventStore(first, { logger: quietLogger });
      other = new PostgresEventStore(second, { logger: quietLogger });
    });

    afterAll(async () => {
      await Promise.all([first?.close(), second?.close()]);
      await created?.drop();
    });

    /** Waits until a session of this database waits on a lock, as the server reports it. */
    const someoneWaitsOnALock = async () => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const { rows } = await first.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if ((rows[0]?.waiting ?? 0) > 0) return;
        if (Date.now() > deadline) throw new Error('no append ever waited on the stream lock');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    it('lets exactly one writer win per expected version, round after round', async () => {
      const streamId = 'race-rounds';
      const rounds = 10;
      const writersPerStore = 4;
      for (let round = 0; round < rounds; round++) {
        const expectedVersion = round === 0 ? ('no_stream' as const) : round * 2;
        const outcomes = await Promise.allSettled(
          [one, other].flatMap((store, storeIndex) =>
            Array.from({ length: writersPerStore }, (_, writer) =>
              store.appendToStream(streamId, pair(`${round}-${storeIndex}-${writer}`), {
                expectedVersion,
              }),
            ),
          ),
        );
        const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        expect(won).toHaveLength(1);
        expect(won[0]?.status === 'fulfilled' && won[0].value.nextExpectedVersion).toBe(
          (round + 1) * 2,
        );
        for (const outcome of outcomes) {
          if (outcome.status === 'fulfilled') continue;
          expect(outcome.reason).toBeInstanceOf(ConcurrencyError);
          expect((outcome.reason as ConcurrencyError).actualVersion).toBe((round + 1) * 2);
        }
      }
      const stream = await other.readStream(streamId);
      expect(stream.map((event) => event.streamVersion)).toEqual(
        Array.from({ length: rounds * 2 }, (_, n) => n + 1),
      );
      // Each round's two events come from one writer: no append was split or interleaved.
      for (let n = 0; n < stream.length; n += 2)
        expect(stream[n]?.data).toEqual(stream[n + 1]?.data);
    });

    /**
     * Process one appends in a transaction it keeps open; process two then appends with
     * the same expected version and waits on the stream's row lock until one ends.
     */
    const stageHeldStream = async (streamId: string, holderEnds: 'commits' | 'rolls back') => {
      await one.appendToStream(streamId, pair('setup'), { expectedVersion: 'no_stream' });
      const holdOpen = deferred();
      const holderAppended = deferred();
      const holder = first.transaction(async (tx) => {
        await one.in(tx).appendToStream(streamId, pair('holder'), { expectedVersion: 2 });
        holderAppended.release();
        await holdOpen.promise;
        if (holderEnds === 'rolls back') throw new Error('the holder gives up');
      });
      await holderAppended.promise;
      const waiter = other.appendToStream(streamId, pair('waiter'), { expectedVersion: 2 });
      await someoneWaitsOnALock();
      holdOpen.release();
      return { holder, waiter };
    };

    const writersOf = async (streamId: string) =>
      (await one.readStream(streamId)).map((event) => (event.data as { writer: string }).writer);

    it('makes an append wait for another process that holds the stream, then fails it when that one commits', async () => {
      const { holder, waiter } = await stageHeldStream('race-held-commit', 'commits');
      const [held, waited] = await Promise.allSettled([holder, waiter]);
      expect(held.status).toBe('fulfilled');
      expect(waited.status === 'rejected' && waited.reason).toBeInstanceOf(ConcurrencyError);
      expect(waited).toMatchObject({ reason: { actualVersion: 4 } });
      expect(await writersOf('race-held-commit')).toEqual(['setup', 'setup', 'holder', 'holder']);
    });

    it('lets the waiting append win when the process holding the stream rolls back', async () => {
      const { holder, waiter } = await stageHeldStream('race-held-rollback', 'rolls back');
      const [held, waited] = await Promise.allSettled([holder, waiter]);
      expect(held).toMatchObject({
        status: 'rejected',
        reason: { message: 'the holder gives up' },
      });
      expect(waited).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 4 } });
      expect(await writersOf('race-held-rollback')).toEqual(['setup', 'setup', 'waiter', 'waiter']);
    });
  },
);
