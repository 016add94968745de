/**
 * A consumer process for the crash test: `tsx crash-consumer.ts <postgres-url | pglite-dir> <count>`.
 * Applies each event by adding 1 to its row, slowly, and reports progress on stdout;
 * exits once it has checkpointed `count` events. The test kills it with SIGKILL midway.
 */
import { pino } from 'pino';
import {
  PostgresMessageBus,
  openPgliteDatabase,
  openPostgresServerDatabase,
  type SqlDatabase,
} from '../../src/index.js';

const [target = '', count = '0'] = process.argv.slice(2);
const database: SqlDatabase = target.startsWith('postgres')
  ? openPostgresServerDatabase(target)
  : await openPgliteDatabase(target);
const bus = new PostgresMessageBus(database, { logger: pino({ level: 'silent' }) });

const subscription = await bus.consume(
  async (event, { tx }) => {
    await tx.query(
      `INSERT INTO crash_applied (event_id, times) VALUES ($1, 1)
       ON CONFLICT (event_id) DO UPDATE SET times = crash_applied.times + 1`,
      [event.id],
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    process.stdout.write(`applied ${event.position}\n`);
  },
  { consumer: 'crash-test', batchSize: 50 },
);
await subscription.waitFor(Number(count), 120_000);
await subscription.stop();
await database.close();
process.stdout.write('done\n');
