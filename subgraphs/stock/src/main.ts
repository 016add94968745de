/**
 * Runs the stock subgraph alone against a Postgres server:
 *   DATABASE_URL=postgres://… npm run start -w subgraphs/stock
 */
import { z } from 'zod';
import { migrate, openPostgresServerDatabase } from '@simple-securities/postgres';
import { createLogger, loadConfig, runMain, stopOnSignals } from '@simple-securities/service-kit';
import { startStockService, stockMigrationsDirs } from './composition-root.js';
import { stockConfigShape } from './config.js';

runMain('stock', async () => {
  const { DATABASE_URL, ...config } = loadConfig({
    ...stockConfigShape,
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  });
  const logger = createLogger('stock', config.LOG_LEVEL);
  const database = openPostgresServerDatabase(DATABASE_URL);
  await migrate({ database, directories: stockMigrationsDirs, logger });
  const service = await startStockService({ database, logger, config });
  stopOnSignals(logger, async () => {
    await service.stop();
    await database.close();
  });
});
