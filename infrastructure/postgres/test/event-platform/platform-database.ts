import { pino } from 'pino';
import { migrate, platformMigrationsDir, type SqlDatabase } from '../../src/index.js';
import type { TestEngine } from '../../src/testing/test-databases.js';

export const quietLogger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

/** A fresh database of `engine` with the event platform's tables, applied by the migrator. */
export const openPlatformDatabase = async (engine: TestEngine): Promise<SqlDatabase> => {
  const database = await engine.open();
  await migrate({ database, directories: [platformMigrationsDir], logger: quietLogger });
  return database;
};
