import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { integrationEvent, type DeliveredEvent } from '@simple-securities/event-sourcing';
import {
  PostgresMessageBus,
  pruneMessages,
  startMessageRetention,
  type MessageRetentionPolicy,
  type SqlDatabase,
} from '../../src/index.js';
import { describeOnEachEngine } from '../../src/testing/test-databases.js';
import { openPlatformDatabase, quietLogger } from './platform-database.js';

const TICK = 'crypto.price.ticked.v1';
const REGISTERED = 'core.user.registered.v1';
const policy: MessageRetentionPolicy = { types: [TICK], retentionMs: 60 * 60_000 };

const event = (type: string) =>
  integrationEvent({ type, source: '/test', subject: 'BTC-USDT', data: {} });

/** Publishes one message per type, in order; returns their positions. */
const publish = async (bus: PostgresMessageBus, types: readonly string[]) => {
  const positions: number[] = [];
  for (const type of types) positions.push(await bus.publish([event(type)]));
  return positions;
};

const age = (database: SqlDatabase, upTo: number, minutes: number) =>
  database.query(
    `UPDATE bus_messages SET published_at = now() - $2::int * interval '1 minute' WHERE position <= $1`,
    [upTo, minutes],
  );

const setCheckpoint = (
  database: SqlDatabase,
  consumer: string,
  position: number,
  log = 'bus_messages',
) =>
  database.query(
    `INSERT INTO consumer_checkpoints (consumer, position, log) VALUES ($1, $2, $3)
     ON CONFLICT (consumer) DO UPDATE SET position = EXCLUDED.position`,
    [consumer, position, log],
  );

const positionsIn = async (database: SqlDatabase) => {
  const { rows } = await database.query<{ position: unknown }>(
    'SELECT position FROM bus_messages ORDER BY position',
  );
  return rows.map((row) => Number(row.position));
};

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

/** Reads with a new consumer group until it has passed `last`. */
const readAll = async (bus: PostgresMessageBus, consumer: string, last: number) => {
  const seen: DeliveredEvent[] = [];
  let reachedEnd!: () => void;
  const done = new Promise<void>((resolve) => (reachedEnd = resolve));
  const subscription = await bus.consume(
    async (delivered) => {
      seen.push(delivered);
      if (delivered.position >= last) reachedEnd();
    },
    { consumer },
  );
  try {
    await done;
  } finally {
    await subscription.stop();
  }
  return seen;
};

await describeOnEachEngine('bus log retention', (engine) => {
  let database: SqlDatabase;
  let bus: PostgresMessageBus;
  beforeAll(async () => {
    database = await openPlatformDatabase(engine);
    bus = new PostgresMessageBus(database, { logger: quietLogger });
  });
  afterAll(() => database.close());

  it('prunes only old, matching messages that every consumer group has read', async () => {
    // 1–20 two hours old (11 a registration), 21–25 fresh.
    const types = range(1, 25).map((position) => (position === 11 ? REGISTERED : TICK));
    expect(await publish(bus, types)).toEqual(range(1, 25));
    await age(database, 20, 120);
    await setCheckpoint(database, 'fast', 25);
    await setCheckpoint(database, 'slow', 15);
    // Event-store projections count positions of another log and hold nothing back,
    // whatever their name.
    await setCheckpoint(database, 'balances', 0, 'es_events');

    const result = await pruneMessages(database, policy, { batchSize: 4 });

    expect(result).toEqual({ pruned: 14, slowest: { consumer: 'slow', position: 15 } });
    expect(await positionsIn(database)).toEqual([11, ...range(16, 25)]);
    // Nothing left to prune until the slow group moves on.
    expect((await pruneMessages(database, policy, { batchSize: 4 })).pruned).toBe(0);
  });

  it('lets the slow group and a group started after pruning read everything left', async () => {
    const resumed = await readAll(bus, 'slow', 25);
    expect(resumed.map((delivered) => delivered.position)).toEqual(range(16, 25));

    const newcomer = await readAll(bus, 'newcomer', 25);
    expect(newcomer.map((delivered) => delivered.position)).toEqual([11, ...range(16, 25)]);
    expect(newcomer[0]?.type).toBe(REGISTERED);
  });

  it('prunes by age and type alone once the slowest group has caught up', async () => {
    await age(database, 25, 120);
    const [fresh] = await publish(bus, [TICK]);
    await database.query(`DELETE FROM consumer_checkpoints WHERE consumer <> 'balances'`);

    const result = await pruneMessages(database, policy);

    expect(result).toEqual({ pruned: 10, slowest: undefined });
    expect(await positionsIn(database)).toEqual([11, fresh]);
  });

  it('runs on a timer, one run at a time, and stops', async () => {
    await age(database, Number.MAX_SAFE_INTEGER, 120);
    const retention = startMessageRetention({
      database,
      policy,
      logger: quietLogger,
      intervalMs: 60_000,
    });
    const first = retention.runNow();
    expect(retention.runNow()).toBe(first);
    await first;
    await retention.stop();
    expect(await positionsIn(database)).toEqual([11]);
  });
});
