/**
 * `npm run db:migrate`: applies every context's committed migrations to DATABASE_URL.
 * Services also migrate at start, so this is for deploy pipelines and for looking at
 * a database before anything runs against it.
 */
import { z } from 'zod';
import { migrate, openPostgresServerDatabase } from '@simple-securities/postgres';
import { commonConfig, createLogger, loadConfig, runMain } from '@simple-securities/service-kit';
import { stackMigrationDirs } from '../start/stack.js';

runMain('db:migrate', async () => {
  const config = loadConfig({
    LOG_LEVEL: commonConfig.LOG_LEVEL,
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  });
  const logger = createLogger('db:migrate', config.LOG_LEVEL);
  const database = openPostgresServerDatabase(config.DATABASE_URL, { maxConnections: 1 });
  try {
    await migrate({ database, directories: stackMigrationDirs, logger });
  } finally {
    await database.close();
  }
});
