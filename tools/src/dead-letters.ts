/**
 * `npm run dead-letters -- list [consumer]` shows events that consumers parked after
 * exhausting their retries; `npm run dead-letters -- replay <id>` asks that consumer group
 * to deliver the event again (fix the cause first). Uses DATABASE_URL (postgres mode) or
 * the embedded database under DATA_DIR — stop `npm start` first in embedded mode, as
 * PGlite's folder is single-process; the replay then happens on the next start.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  PostgresDeadLetterQueue,
  openPgliteDatabase,
  openPostgresServerDatabase,
  type SqlDatabase,
} from '@simple-securities/postgres';
import { loadConfig } from '@simple-securities/service-kit';

const repositoryRoot = path.resolve(import.meta.dirname, '../..');

const usage = 'usage: npm run dead-letters -- list [consumer] | replay <id>';

const open = async (): Promise<SqlDatabase> => {
  const settings = loadConfig({
    DATA_DIR: z.string().default(path.join(repositoryRoot, '.data')),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  });
  if (settings.DATABASE_URL) return openPostgresServerDatabase(settings.DATABASE_URL);
  const dataDir = path.join(settings.DATA_DIR, 'pglite');
  if (!existsSync(dataDir))
    throw new Error(`No embedded database at ${dataDir}; set DATABASE_URL or DATA_DIR.`);
  return openPgliteDatabase(dataDir);
};

const [command, argument] = process.argv.slice(2);
if (command !== 'list' && command !== 'replay') {
  console.error(usage);
  process.exit(2);
}
const database = await open();
try {
  const queue = new PostgresDeadLetterQueue(database);
  if (command === 'list') {
    const letters = await queue.list(argument ? { consumer: argument } : {});
    if (letters.length === 0) console.log('No dead letters.');
    for (const letter of letters) {
      console.log(
        `#${letter.id}  ${letter.status.padEnd(16)} ${letter.consumer}  ${letter.event.type} ${letter.event.id}` +
          `  (position ${letter.event.position}, ${letter.attempts} attempts, parked ${letter.parkedAt.toISOString()})` +
          `\n     ${letter.error.split('\n')[0]}`,
      );
    }
  } else {
    const id = Number(argument);
    if (!Number.isSafeInteger(id) || id <= 0)
      throw new Error(`"${argument ?? ''}" is not a dead letter id. ${usage}`);
    await queue.requestReplay(id);
    console.log(
      `Dead letter #${id} queued for replay; its consumer delivers it again on its next wake-up.`,
    );
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await database.close();
}
