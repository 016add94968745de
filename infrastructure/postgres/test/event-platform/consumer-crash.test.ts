import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { integrationEvent } from '@simple-securities/event-sourcing';
import {
  PostgresMessageBus,
  migrate,
  openPgliteDatabase,
  openPostgresServerDatabase,
  platformMigrationsDir,
  type SqlDatabase,
} from '../../src/index.js';
import { describeOnPostgresServer } from '../../src/testing/test-databases.js';
import { quietLogger } from './platform-database.js';

const EVENTS = 400;
const script = fileURLToPath(new URL('./crash-consumer.ts', import.meta.url));

/** Runs the consumer process; with `killAfter`, SIGKILLs it once it has applied that many events. */
const runConsumer = (target: string, killAfter?: number) =>
  new Promise<{ applied: number; killed: boolean }>((resolve, reject) => {
    // tsx as a loader, not its CLI: the CLI runs the script in a child process that a
    // SIGKILL of the CLI would leave running, so the kill must reach the consumer itself.
    const child = spawn(process.execPath, ['--import', 'tsx', script, target, String(EVENTS)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let applied = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      applied += chunk.split('\n').filter((line) => line.startsWith('applied')).length;
      if (killAfter !== undefined && applied >= killAfter && child.exitCode === null)
        child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ applied, killed: true });
      else if (code === 0) resolve({ applied, killed: false });
      else reject(new Error(`consumer process exited with ${code ?? signal}`));
    });
  });

const seed = async (database: SqlDatabase) => {
  await database.executeScript(
    'CREATE TABLE crash_applied (event_id text PRIMARY KEY, times integer NOT NULL)',
  );
  const bus = new PostgresMessageBus(database, { logger: quietLogger });
  for (let batch = 0; batch < EVENTS / 100; batch++) {
    await bus.publish(
      Array.from({ length: 100 }, (_, n) =>
        integrationEvent({
          type: 'crash.tested.v1',
          source: '/test',
          subject: `s-${n % 7}`,
          data: { n: batch * 100 + n },
        }),
      ),
    );
  }
};

/** After the kill: part-way through, and exactly the checkpointed events applied. */
const verifyKilledMidway = async (database: SqlDatabase) => {
  const { rows } = await database.query<{ applied: number; checkpoint: number }>(
    `SELECT (SELECT count(*)::int FROM crash_applied) AS applied,
            (SELECT position::int FROM consumer_checkpoints WHERE consumer = 'crash-test') AS checkpoint`,
  );
  const state = rows[0];
  expect(state?.checkpoint).toBeGreaterThan(0);
  expect(state?.checkpoint).toBeLessThan(EVENTS);
  expect(state?.applied).toBe(state?.checkpoint);
};

const verify = async (database: SqlDatabase) => {
  const { rows } = await database.query<{
    events: number;
    applied: number;
    twice: number;
    checkpoint: number;
  }>(
    `SELECT (SELECT count(*)::int FROM bus_messages) AS events,
            (SELECT count(*)::int FROM crash_applied) AS applied,
            (SELECT count(*)::int FROM crash_applied WHERE times <> 1) AS twice,
            (SELECT position::int FROM consumer_checkpoints WHERE consumer = 'crash-test') AS checkpoint`,
  );
  expect(rows[0]).toEqual({ events: EVENTS, applied: EVENTS, twice: 0, checkpoint: EVENTS });
};

/** kill -9 mid-batch, restart: every event applied exactly once. */
describe('a consumer killed with SIGKILL mid-batch on PGlite', () => {
  it('resumes from its checkpoint (data directory): nothing lost, nothing applied twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crash-pglite-'));
    try {
      const database = await openPgliteDatabase(dir);
      await migrate({ database, directories: [platformMigrationsDir], logger: quietLogger });
      await seed(database);
      await database.close();

      const first = await runConsumer(dir, 120);
      expect(first.killed).toBe(true);
      const afterKill = await openPgliteDatabase(dir);
      try {
        await verifyKilledMidway(afterKill);
      } finally {
        await afterKill.close();
      }
      const second = await runConsumer(dir);
      expect(second.killed).toBe(false);

      const reopened = await openPgliteDatabase(dir);
      try {
        await verify(reopened);
      } finally {
        await reopened.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

await describeOnPostgresServer(
  'a consumer killed with SIGKILL mid-batch on the Postgres server',
  (server) => {
    it('resumes from its checkpoint: nothing lost, nothing applied twice', async () => {
      const { url, drop } = await server.createDatabase();
      const database = openPostgresServerDatabase(url);
      try {
        await migrate({ database, directories: [platformMigrationsDir], logger: quietLogger });
        await seed(database);
        const first = await runConsumer(url, 150);
        expect(first.killed).toBe(true);
        await verifyKilledMidway(database);
        const second = await runConsumer(url);
        expect(second.killed).toBe(false);
        await verify(database);
      } finally {
        await database.close();
        await drop();
      }
    }, 180_000);
  },
);
