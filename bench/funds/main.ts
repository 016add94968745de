/**
 * `npm run bench:funds`: core's gRPC funds service on a Postgres server. 32 concurrent
 * callers each loop Reserve then Release, (a) spread over 1,000 users and (b) all on one
 * hot wallet. The service runs in a child process (`service.ts`), so the callers in this
 * process do not share its event loop; each run reports the CPU time per reservation of
 * both processes and of the database's backends, and the service's transactions (how
 * many movements each took, and where its time went). Beside it, pgbench runs the same
 * SQL one transaction per movement with 32 clients: the database's own ceiling without
 * group commit or our service in front.
 * Needs a Postgres server (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 * on this machine (its backends' CPU time is read from /proc) and pgbench (Debian's
 * postgresql-client). BENCH_SECONDS sets each run (default 5).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { coreSubgraph } from '@simple-securities/core-subgraph';
import { FundsClient } from '@simple-securities/funds-client';
import { type SqlDatabase, migrate, openPostgresServerDatabase } from '@simple-securities/postgres';
import { migrationsOf } from '@simple-securities/service-kit';
import { createScratchDatabase } from '@simple-securities/postgres/scratch';
import { fmt, startChild, stopChild, usageOf } from '../shared/children.js';
import type { BatchProfile } from './batch-profile.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const CALLERS = 32;
const USERS = 1_000;
const quiet = pino({ level: 'silent' });
const token = 'bench-internal-token';
const run = promisify(execFile);

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;

/** CPU time of the database's backends serving `databaseName`, in ms, by pid (from /proc). */
const backendCpu = async (database: SqlDatabase, databaseName: string, tickMs: number) => {
  const { rows } = await database.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
      WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    [databaseName],
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    // The command name is in parentheses and may hold spaces: fields count from after it.
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    if (fields.length > 13) cpu.set(pid, (Number(fields[11]) + Number(fields[12])) * tickMs);
  }
  return cpu;
};

/** Busy and total CPU time of the whole machine so far, in ticks (/proc/stat). */
const machineCpu = async () => {
  const [line = ''] = (await readFile('/proc/stat', 'utf8')).split('\n');
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, n) => sum + n, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: total - idle, total };
};

interface Result {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly refused: number;
  readonly reservations: number;
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
    reservations: latencies.length,
  };
};

const pgbench = async (url: string, hot: boolean) => {
  const script = fileURLToPath(new URL('./pgbench-reserve-release.sql', import.meta.url));
  const { stdout } = await run('pgbench', [
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
  const databaseName = url.pathname.slice(1);
  const database = openPostgresServerDatabase(scratch.url, { maxConnections: 1 });
  const tickMs = 1000 / Number((await run('getconf', ['CLK_TCK'])).stdout.trim());
  let service: Awaited<ReturnType<typeof startChild>>['child'] | undefined;
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

    const started = await startChild(new URL('./service.ts', import.meta.url), {
      DATABASE_URL: scratch.url,
      INTERNAL_SERVICE_TOKEN: token,
    });
    service = started.child;
    const child = service;
    const batches = () =>
      new Promise<BatchProfile>((resolve) => {
        const onMessage = (message: { type?: string }) => {
          if (message.type !== 'batches') return;
          child.off('message', onMessage);
          resolve(message as BatchProfile);
        };
        child.on('message', onMessage);
        child.send({ type: 'batches' });
      });
    const client = new FundsClient({ address: started.ready.url ?? '', internalToken: token });

    /** One run, with what it cost each process per reservation. */
    const costed = async (pick: () => string) => {
      await batches();
      const before = {
        service: await usageOf(child),
        callers: process.cpuUsage(),
        postgres: await backendCpu(database, databaseName, tickMs),
        machine: await machineCpu(),
      };
      const result = await measure(client, pick);
      const service = await usageOf(child);
      const callers = process.cpuUsage(before.callers);
      const postgres = await backendCpu(database, databaseName, tickMs);
      const machine = await machineCpu();
      const profile = await batches();
      const postgresMs = [...postgres].reduce(
        (sum, [pid, ms]) => sum + ms - (before.postgres.get(pid) ?? 0),
        0,
      );
      const per = (ms: number) => ms / Math.max(1, result.reservations);
      return {
        ...result,
        serviceMs: per((service.cpuMicros - before.service.cpuMicros) / 1000),
        callersMs: per((callers.user + callers.system) / 1000),
        postgresMs: per(postgresMs),
        machineBusy:
          (machine.busy - before.machine.busy) / Math.max(1, machine.total - before.machine.total),
        profile,
      };
    };

    // Warm up connections and the JIT.
    await measure(client, () => users[Math.floor(Math.random() * USERS)]!);
    const spread = await costed(() => users[Math.floor(Math.random() * USERS)]!);
    const hotWallet = await costed(() => hot);
    client.close();
    stopChild(service);
    service = undefined;

    const peerSpread = await pgbench(url.toString(), false);
    const peerHot = await pgbench(url.toString(), true);

    const format = (n: number) => Math.round(n).toLocaleString('en-US');
    const workloads = [
      [`spread over ${format(USERS)} users`, spread, peerSpread],
      ['one hot wallet', hotWallet, peerHot],
    ] as const;
    console.log(
      `Funds benchmark on ${url.host}, ${CALLERS} callers, ${seconds} s per run, ${new Date().toISOString()}\n`,
    );
    console.log(
      '| workload | ours: gRPC Reserve+Release (reservations/s) | p50 / p99 Reserve (ms) | pgbench, same SQL, 1 tx per movement (reservations/s) | pgbench latency avg (ms) |',
    );
    console.log('|---|---:|---:|---:|---:|');
    for (const [label, ours, peer] of workloads) {
      console.log(
        `| ${label} | ${format(ours.perSecond)} | ${ours.p50.toFixed(1)} / ${ours.p99.toFixed(1)} | ${format(peer.perSecond)} | ${peer.latencyAverage.toFixed(1)} |`,
      );
    }
    console.log(
      '\nWhat one reservation (a Reserve and a Release: two movements) cost, and the service’s transactions:\n',
    );
    console.log(
      '| workload | service CPU (ms) | callers’ CPU (ms) | Postgres backends’ CPU (ms) | machine busy | transactions/s | movements per transaction | ms per transaction | ms per statement, in order |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const [label, ours] of workloads) {
      const { profile } = ours;
      const perStatement = profile.statementMs
        .map((ms, index) => fmt(ms / (profile.statementCounts[index] ?? 1), 2))
        .join(' · ');
      console.log(
        `| ${label} | ${fmt(ours.serviceMs, 3)} | ${fmt(ours.callersMs, 3)} | ${fmt(ours.postgresMs, 3)} | ${fmt(ours.machineBusy * 100)} % | ${fmt(profile.transactions / seconds)} | ${fmt((2 * ours.reservations + ours.refused) / Math.max(1, profile.transactions), 1)} | ${fmt(profile.transactionMs / Math.max(1, profile.transactions), 2)} | ${perStatement} |`,
      );
    }
    if (spread.refused + hotWallet.refused > 0)
      console.log(`\n${spread.refused + hotWallet.refused} reservations were refused.`);
  } finally {
    if (service) stopChild(service);
    await database.close();
    await scratch.drop();
  }
};

await main();
