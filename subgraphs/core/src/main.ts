/**
 * Runs the core subgraph alone against a Postgres server:
 *   DATABASE_URL=postgres://… npm run start -w subgraphs/core
 */
import { z } from 'zod';
import { openPostgresServerDatabase } from '@simple-securities/postgres';
import { createLogger, loadConfig, runMain, stopOnSignals } from '@simple-securities/service-kit';
import { createCoreService } from './composition-root.js';
import { coreServiceConfig } from './config.js';

runMain('core', async () => {
  const config = loadConfig({
    ...coreServiceConfig,
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  });
  const logger = createLogger('core', config.LOG_LEVEL);
  const database = openPostgresServerDatabase(config.DATABASE_URL);
  const service = await createCoreService({ database, logger, config });
  if (config.SEED_DEMO_USERS) await service.seedDemoUsers();
  await service.start();
  stopOnSignals(logger, async () => {
    await service.stop();
    await database.close();
  });
});
