/**
 * `npm run bench:event-store`: append throughput (ours vs Emmett's PostgreSQL event
 * store, same server, same shapes) and end-to-end lag (append → consumer handler) at
 * 1,000 and 10,000 events/s (BENCH_LAG_RATE, comma-separated).
 * Needs a Postgres server: DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres.
 * BENCH_SECONDS sets the length of each run (default 5); `-- --lag-only` skips the appends.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import {
  integrationEvent,
  type IntegrationEvent,
  type Subscription,
} from '@simple-securities/event-sourcing';
import {
  PostgresEventStore,
  PostgresMessageBus,
  migrate,
  openPostgresServerDatabase,
  platformMigrationsDir,
  postgresOutbox,
  startProjection,
  type SqlDatabase,
} from '@simple-securities/postgres';

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const quiet = pino({ level: 'silent' });

const admin = async (sql: string) => {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

/** A throwaway database per contender, dropped afterwards. */
const withDatabase = async <T>(work: (url: string) => Promise<T>): Promise<T> => {
  const name = `bench_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    return await work(url.toString());
  } finally {
    // Let closing pools finish hanging up before the drop terminates what is left.
    await new Promise((resolve) => setTimeout(resolve, 250));
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
};

type Append = (
  stream: string,
  events: { type: string; data: Record<string, unknown> }[],
) => Promise<unknown>;

/** `writers` loops appending `batch` events per call to their own 50 streams, for `seconds`. */
const measureAppends = async (append: Append, writers: number, batch: number) => {
  const payload = { accountId: 'acc-1', amountMinor: 12_345, currency: 'USDT', note: 'benchmark' };
  const events = Array.from({ length: batch }, () => ({ type: 'FundsDeposited', data: payload }));
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const counts = await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      let appended = 0;
      for (let n = 0; performance.now() < deadline; n++) {
        await append(`account-${writer}-${n % 50}`, events);
        appended += batch;
      }
      return appended;
    }),
  );
  const total = counts.reduce((sum, count) => sum + count, 0);
  return total / ((performance.now() - started) / 1000);
};

const shapes = [
  { writers: 1, batch: 1 },
  { writers: 8, batch: 1 },
  { writers: 1, batch: 100 },
  { writers: 8, batch: 100 },
];

const withOurs = async (url: string) => {
  const database = openPostgresServerDatabase(url, { maxConnections: 10 });
  await migrate({ database, directories: [platformMigrationsDir], logger: quiet });
  const store = new PostgresEventStore(database, { logger: quiet });
  return {
    database,
    append: ((stream, events) =>
      store.appendToStream(stream, events, { expectedVersion: 'any' })) as Append,
  };
};

const throughput = async () => {
  const results: { shape: string; ours: number; emmett: number }[] = [];
  for (const shape of shapes) {
    const oursRate = await withDatabase(async (url) => {
      const { database, append } = await withOurs(url);
      try {
        return await measureAppends(append, shape.writers, shape.batch);
      } finally {
        await database.close();
      }
    });
    const emmettRate = await withDatabase(async (url) => {
      const store = getPostgreSQLEventStore(url);
      await store.schema.migrate();
      try {
        return await measureAppends(
          (stream, events) => store.appendToStream(stream, events),
          shape.writers,
          shape.batch,
        );
      } finally {
        await store.close();
      }
    });
    results.push({
      shape: `${shape.writers} writer${shape.writers > 1 ? 's' : ''}, ${shape.batch === 1 ? 'single events' : `batches of ${shape.batch}`}`,
      ours: oursRate,
      emmett: emmettRate,
    });
  }
  return results;
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** What each benchmark event carries: when its write started, and which one it is. */
interface Stamp {
  sentAt: number;
  n: number;
}

/**
 * Steady `rate` events/s for `seconds`; the lag is handler time minus write start. It is
 * split at the write's commit (when `produce` resolves): the writer's share (a publish
 * waits for the group ahead of it) and the reader's (wake-up, read, the consumer's step).
 */
const measureLag = async (
  database: SqlDatabase,
  rate: number,
  produce: (stamp: Stamp) => Promise<unknown>,
  consume: (onEvent: (stamp: Stamp) => void) => Promise<Subscription>,
) => {
  const total = rate * seconds;
  const sentAt = new Float64Array(total);
  const committedAt = new Float64Array(total).fill(NaN);
  const handledAt = new Float64Array(total).fill(NaN);
  let delivered = 0;
  const subscription = await consume((stamp) => {
    handledAt[stamp.n] = performance.now();
    delivered += 1;
  });
  const started = performance.now();
  const inFlight: Promise<unknown>[] = [];
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    sentAt[n] = performance.now();
    inFlight.push(
      produce({ sentAt: sentAt[n] as number, n }).then(() => {
        committedAt[n] = performance.now();
      }),
    );
  }
  await Promise.all(inFlight);
  const deadline = performance.now() + 10_000;
  while (delivered < total && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  await subscription.stop();
  await database.close();
  const spans = (from: Float64Array, to: Float64Array) =>
    Array.from(to, (at, n) => at - (from[n] as number))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
  const lags = spans(sentAt, handledAt);
  const writes = spans(sentAt, committedAt);
  const reads = spans(committedAt, handledAt);
  return {
    rate,
    delivered,
    expected: total,
    p50: percentile(lags, 50),
    p99: percentile(lags, 99),
    max: lags.at(-1) ?? NaN,
    write: { p50: percentile(writes, 50), p99: percentile(writes, 99) },
    read: { p50: percentile(reads, 50), p99: percentile(reads, 99) },
  };
};

/** Low enough for one transaction per event to keep up here, so only the reader is measured. */
const OPEN_ELSEWHERE_RATE = 100;

/**
 * Runs `work` while a transaction stays open in another database of the server, holding
 * back the cluster's xmin horizon as a forgotten session would. It writes nothing to the
 * bus, so the bus's readers must not wait for it (ADR 0020).
 */
const besideAnOpenTransaction = async <T>(work: () => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_current_xact_id()');
    return await work();
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  }
};

/** `withOutbox`: also the outbox path, one transaction per event; at the lowest rate only, since it drains slowly. */
const lag = async (rate: number, withOutbox: boolean) => {
  const store = await withDatabase(async (url) => {
    const { database } = await withOurs(url);
    const events = new PostgresEventStore(database, { logger: quiet });
    return measureLag(
      database,
      rate,
      (stamp) =>
        events.appendToStream(`order-${stamp.n % 100}`, [{ type: 'OrderPlaced', data: stamp }], {
          expectedVersion: 'any',
        }),
      (onEvent) =>
        startProjection(
          database,
          {
            name: 'lag',
            apply: async (event) => onEvent(event.data as unknown as Stamp),
            reset: async () => undefined,
          },
          { logger: quiet },
        ),
    );
  });
  /** Bus lag when each event is published by `publish`, read by a consumer group. */
  const busLag = (
    publish: (
      database: SqlDatabase,
      bus: PostgresMessageBus,
      event: IntegrationEvent,
    ) => Promise<unknown>,
    busRate = rate,
  ) =>
    withDatabase(async (url) => {
      const { database } = await withOurs(url);
      const messages = new PostgresMessageBus(database, { logger: quiet });
      return measureLag(
        database,
        busRate,
        (stamp) =>
          publish(
            database,
            messages,
            integrationEvent({
              type: 'price.ticked.v1',
              source: '/bench',
              subject: `SYM${stamp.n % 20}`,
              data: stamp,
            }),
          ),
        (onEvent) =>
          messages.consume(async (event) => onEvent(event.data as Stamp), {
            consumer: 'lag',
          }),
      );
    });
  const bus = await busLag((_database, messages, event) => messages.publish([event]));
  // Each event in its own transaction, as outbox writers commit them: concurrent
  // transactions commit out of order, and the reader waits at each hole (ADR 0016).
  const rows = [
    { path: 'event store append → projection handler', ...store },
    { path: 'bus publish → consumer group handler', ...bus },
  ];
  if (!withOutbox) return rows;
  const enqueue = (database: SqlDatabase, _messages: PostgresMessageBus, event: IntegrationEvent) =>
    database.transaction((tx) => postgresOutbox.enqueue(tx, [event]));
  const outbox = await busLag(enqueue);
  // One write in 20 belongs to a command that fails after enqueueing: its transaction
  // rolls back, and its position is a hole that never fills.
  let writes = 0;
  const enqueueBesideFailures: typeof enqueue = (database, messages, event) => {
    writes += 1;
    if (writes % 20 === 0)
      void database
        .transaction(async (tx) => {
          await postgresOutbox.enqueue(tx, [{ ...event, id: `${event.id}-failed` }]);
          throw new Error('the command failed');
        })
        .catch(() => undefined);
    return enqueue(database, messages, event);
  };
  const beside = await besideAnOpenTransaction(() =>
    busLag(enqueueBesideFailures, OPEN_ELSEWHERE_RATE),
  );
  return [
    ...rows,
    { path: 'outbox, a transaction per event → consumer group handler', ...outbox },
    {
      path: 'outbox, a transaction per event, 1 in 20 rolled back, a transaction open in another database → consumer group handler',
      ...beside,
    },
  ];
};

const format = (n: number) => Math.round(n).toLocaleString('en-US');

const lagRates = (process.env.BENCH_LAG_RATE ?? '1000,10000').split(',').map(Number);
const lagOnly = process.argv.includes('--lag-only');

/** The bus's p99 targets (docs/targets.md): ≤ 50 ms up to 1,000 events/s, ≤ 100 ms up to 10,000. */
const busTargetMs = (rate: number) => (rate <= 1_000 ? 50 : rate <= 10_000 ? 100 : undefined);

const againstTarget = (path: string, rate: number, p99: number) => {
  const target = path.startsWith('bus publish') ? busTargetMs(rate) : undefined;
  if (target === undefined) return '—';
  return `≤ ${target}: ${p99 <= target ? 'met' : 'not met'}`;
};

const main = async () => {
  console.log(
    `Event store benchmark on ${new URL(serverUrl).host}, ${seconds} s per run, ${new Date().toISOString()}\n`,
  );
  if (!lagOnly) {
    const appends = await throughput();
    console.log('| append shape | ours (events/s) | Emmett 0.42 (events/s) | ours ÷ Emmett |');
    console.log('|---|---:|---:|---:|');
    for (const row of appends)
      console.log(
        `| ${row.shape} | ${format(row.ours)} | ${format(row.emmett)} | ${(row.ours / row.emmett).toFixed(2)}× |`,
      );
    console.log();
  }
  console.log(
    '| end-to-end lag | events/s | delivered | p50 (ms) | p99 (ms) | max (ms) | write → committed p50 / p99 (ms) | committed → handler p50 / p99 (ms) | p99 target (ms) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const rate of lagRates)
    for (const row of await lag(rate, rate === Math.min(...lagRates)))
      console.log(
        `| ${row.path} | ${format(row.rate)} | ${row.delivered}/${row.expected} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.max.toFixed(1)} | ${row.write.p50.toFixed(1)} / ${row.write.p99.toFixed(1)} | ${row.read.p50.toFixed(1)} / ${row.read.p99.toFixed(1)} | ${againstTarget(row.path, row.rate, row.p99)} |`,
      );
};

await main();
