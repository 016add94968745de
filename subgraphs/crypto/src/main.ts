/**
 * Runs the crypto subgraph alone against a Postgres server:
 *   DATABASE_URL=postgres://… npm run start -w subgraphs/crypto
 */
import { z } from 'zod';
import { migrate, openPostgresServerDatabase } from '@simple-securities/postgres';
import { createLogger, loadConfig, runMain, stopOnSignals } from '@simple-securities/service-kit';
import { cryptoMigrationsDirs, startCryptoService } from './composition-root.js';
import { cryptoConfigShape } from './config.js';

runMain('crypto', async () => {
  const { DATABASE_URL, ...config } = loadConfig({
    ...cryptoConfigShape,
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  });
  const logger = createLogger('crypto', config.LOG_LEVEL);
  const database = openPostgresServerDatabase(DATABASE_URL);
  await migrate({
    database,
    directories: cryptoMigrationsDirs,
    logger,
  });
  const service = await startCryptoService({ database, logger, config });
  stopOnSignals(logger, async () => {
    await service.stop();
    await database.close();
  });
});
