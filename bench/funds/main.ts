/**
 * `npm run bench:funds`: core's gRPC funds service on a Postgres server. 32 concurrent
 * callers each loop Reserve then Release, (a) spread over 1,000 users and (b) all on one
 * hot wallet. Beside it, pgbench runs the same SQL one transaction per movement with 32
 * clients: the database's own ceiling without group commit or our service in front.
 * Needs a Postgres server (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 * and pgbench (Debian's postgresql-client). BENCH_SECONDS sets each run (default 5).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { coreSubgraph, createCoreService } from '@simple-securities/core-subgraph';
import { FundsClient } from '@simple-securities/funds-client';
import { migrate, openPostgresServerDatabase } from '@simple-securities/postgres';
import { migrationsOf } from '@simple-securities/service-kit';
import { createScratchDatabase } from '@simple-securities/postgres/scratch';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const CALLERS = 32;
const USERS = 1_000;
const quiet = pino({ level: 'silent' });
const token = 'bench-internal-token';

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;

interface Result {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly refused: number;
}

/** Each caller loops Reserve then Release on the user `pick` names, for `seconds`. */
const measure = async (client: FundsClient, pick: () => string): Promise<Result> => {
  const latencies: number[] = [];
  let refused = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (performance.now() < deadline) {
        const reservationId = randomUUID();
        const sent = performance.now();
        try {
          await client.reserve({ userId: pick(), asset: 'USD', amount: '1.00', reservationId });
        } catch {
          refused += 1;
          continue;
        }
        latencies.push(performance.now() - sent);
        await client.release({ reservationId, amount: '', releaseId: '' });
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    refused,
  };
};

const pgbench = async (url: string, hot: boolean) => {
  const script = fileURLToPath(new URL('./pgbench-reserve-release.sql', import.meta.url));
  const { stdout } = await promisify(execFile)('pgbench', [
    '--no-vacuum',
    `--client=${CALLERS}`,
    '--jobs=2',
    `--time=${seconds}`,
    '--protocol=simple',
    `--define=users=${USERS}`,
    `--define=hot=${hot ? 1 : 0}`,
    '--report-per-command',
    `--file=${script}`,
    url,
  ]);
  const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN);
  if (Number.isNaN(tps)) throw new Error(`pgbench printed no tps:\n${stdout}`);
  const latency = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1] ?? 0);
  return { perSecond: tps, latencyAverage: latency };
};

const main = async () => {
  const scratch = await createScratchDatabase('bench_funds');
  const url = new URL(scratch.url);
  const database = openPostgresServerDatabase(scratch.url);
  try {
    await migrate({ database, directories: migrationsOf([coreSubgraph]), logger: quiet });
    // Bench users go straight into the table: signing up hashes a password, which is not what is measured.
    await database.executeScript(`
      CREATE SCHEMA bench;
      CREATE SEQUENCE bench.ids;
      CREATE TABLE bench.users AS SELECT n, gen_random_uuid() AS id FROM generate_series(1, ${USERS}) AS n;
      INSERT INTO core.users (id, email, display_name, password_hash, roles, created_at)
      SELECT id, 'bench-' || n || '@example.com', 'Bench ' || n, 'none', '{USER}', now() FROM bench.users;`);
    const { rows } = await database.query<{ id: string }>('SELECT id FROM bench.users ORDER BY n');
    const users = rows.map((row) => row.id);
    const hot = users[0]!;

    const service = await createCoreService({
      database,
      logger: quiet,
      config: {
        JWT_SECRET: 'bench-jwt-secret-of-at-least-32-characters',
        JWT_TTL_SECONDS: 600,
        INTERNAL_SERVICE_TOKEN: token,
      },
    });
    // Balances arrive the way all money does: through deposits.
    await Promise.all(
      users.map((userId) =>
        service.wallets.deposit({
          userId,
          asset: 'USD',
          amount: '1000000',
          idempotencyKey: 'bench',
        }),
      ),
    );
    const grpc = await service.startFunds({ port: 0 });
    const client = new FundsClient({ address: grpc.address, internalToken: token });
    // Warm up connections and the JIT.
    await measure(client, () => users[Math.floor(Math.random() * USERS)]!);

    const spread = await measure(client, () => users[Math.floor(Math.random() * USERS)]!);
    const hotWallet = await measure(client, () => hot);
    client.close();
    await service.stop();

    const peerSpread = await pgbench(url.toString(), false);
    const peerHot = await pgbench(url.toString(), true);

    const format = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(
      `Funds benchmark on ${url.host}, ${CALLERS} callers, ${seconds} s per run, ${new Date().toISOString()}\n`,
    );
    console.log(
      '| workload | ours: gRPC Reserve+Release (reservations/s) | p50 / p99 Reserve (ms) | pgbench, same SQL, 1 tx per movement (reservations/s) | pgbench latency avg (ms) |',
    );
    console.log('|---|---:|---:|---:|---:|');
    for (const [label, ours, peer] of [
      [`spread over ${format(USERS)} users`, spread, peerSpread],
      ['one hot wallet', hotWallet, peerHot],
    ] as const) {
      console.log(
        `| ${label} | ${format(ours.perSecond)} | ${ours.p50.toFixed(1)} / ${ours.p99.toFixed(1)} | ${format(peer.perSecond)} | ${peer.latencyAverage.toFixed(1)} |`,
      );
    }
    if (spread.refused + hotWallet.refused > 0)
      console.log(`\n${spread.refused + hotWallet.refused} reservations were refused.`);
  } finally {
    await database.close();
    await scratch.drop();
  }
};

await main();
