import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import {
  migrate,
  openPgliteDatabase,
  openPostgresServerDatabase,
  PostgresMessageBus,
  type SqlDatabase,
} from '@simple-securities/postgres';
import { describeOnPostgresServer } from '@simple-securities/postgres/testing';
import { migrationsOf } from '@simple-securities/service-kit';
import { PUBLISHED_EVENTS_CONSUMER } from '../../src/adapters/published-events-consumer.js';
import { notificationSubgraph } from '../../src/composition-root.js';
import { eventsFor } from '../published-events.js';

const logger = pino({ level: 'silent' });
const USERS = 25; // 8 notifying events each: 200 events, 4 batches of 50
const script = fileURLToPath(new URL('./notification-consumer-process.ts', import.meta.url));

/** Runs the consumer process until `position`; with `killAfter`, SIGKILLs it once it has handled that many events. */
const runConsumer = (target: string, position: number, killAfter?: number) =>
  new Promise<{ killed: boolean }>((resolve, reject) => {
    // tsx as a loader, so the SIGKILL reaches the consumer itself and not a CLI wrapper.
    const child = spawn(process.execPath, ['--import', 'tsx', script, target, String(position)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let handled = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      handled += chunk.split('\n').filter((line) => line.startsWith('handled')).length;
      if (killAfter !== undefined && handled >= killAfter && child.exitCode === null)
        child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ killed: true });
      else if (code === 0) resolve({ killed: false });
      else reject(new Error(`consumer process exited with ${code ?? signal}`));
    });
  });

const seed = async (database: SqlDatabase) => {
  await migrate({ database, directories: migrationsOf([notificationSubgraph]), logger });
  const events = Array.from({ length: USERS }, (_, n) => eventsFor(`user-${n}`).notifying).flat();
  return new PostgresMessageBus(database, { logger }).publish(events);
};

/** What the consumer left behind: its checkpoint, and notifications against the events up to it. */
const state = async (database: SqlDatabase) => {
  const { rows } = await database.query<{
    checkpoint: number;
    handled: number;
    notifications: number;
    indexed: number;
    strays: number;
  }>(
    `SELECT (SELECT position::int FROM consumer_checkpoints WHERE consumer = $1) AS checkpoint,
            (SELECT count(*)::int FROM bus_messages
              WHERE position <= (SELECT position FROM consumer_checkpoints WHERE consumer = $1)) AS handled,
            (SELECT count(*)::int FROM notification.notifications) AS notifications,
            (SELECT count(*)::int FROM search_documents WHERE index_name = 'notifications') AS indexed,
            (SELECT count(*)::int FROM notification.notifications n
              WHERE NOT EXISTS (SELECT 1 FROM bus_messages m WHERE m.message_id = n.id)) AS strays`,
    [PUBLISHED_EVENTS_CONSUMER],
  );
  return rows[0];
};

/**
 * Killed mid-batch, then restarted: exactly the checkpointed events had notified
 * (the batch in flight rolled back with its checkpoint), and in the end every event
 * notified its user once.
 */
const killAndResume = async (target: string, open: () => Promise<SqlDatabase>, last: number) => {
  expect((await runConsumer(target, last, 70)).killed).toBe(true);
  let database = await open();
  try {
    const midway = await state(database);
    expect(midway?.checkpoint).toBeGreaterThan(0);
    expect(midway?.checkpoint).toBeLessThan(last);
    expect(midway?.notifications).toBe(midway?.handled);
    expect(midway?.indexed).toBe(midway?.handled);
  } finally {
    await database.close();
  }
  expect((await runConsumer(target, last)).killed).toBe(false);
  database = await open();
  try {
    expect(await state(database)).toEqual({
      checkpoint: last,
      handled: USERS * 8,
      notifications: USERS * 8,
      indexed: USERS * 8,
      strays: 0,
    });
  } finally {
    await database.close();
  }
};

describe('the notification consumer killed with SIGKILL mid-batch on PGlite', () => {
  it('resumes from its checkpoint: every event notifies once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'notification-crash-'));
    try {
      const database = await openPgliteDatabase(dir);
      const last = await seed(database);
      await database.close();
      await killAndResume(dir, () => openPgliteDatabase(dir), last);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

await describeOnPostgresServer(
  'the notification consumer killed with SIGKILL mid-batch on the Postgres server',
  (server) => {
    it('resumes from its checkpoint: every event notifies once', async () => {
      const { url, drop } = await server.createDatabase();
      try {
        const database = openPostgresServerDatabase(url);
        const last = await seed(database);
        await database.close();
        await killAndResume(url, async () => openPostgresServerDatabase(url), last);
      } finally {
        await drop();
      }
    }, 180_000);
  },
);
