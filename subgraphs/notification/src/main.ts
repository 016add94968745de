/**
 * Runs the notification subgraph alone against a Postgres server:
 *   DATABASE_URL=postgres://… npm run start -w subgraphs/notification
 */
import { z } from 'zod';
import {
  migrate,
  openPostgresServerDatabase,
  PostgresMessageBus,
} from '@simple-securities/postgres';
import {
  commonConfig,
  createLogger,
  loadConfig,
  port,
  runMain,
  stopOnSignals,
} from '@simple-securities/service-kit';
import { notificationMigrationsDirs, startNotificationService } from './composition-root.js';

runMain('notification', async () => {
  const config = loadConfig({
    ...commonConfig,
    PORT: port(4004),
    HOST: z.string().default('127.0.0.1'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  });
  const logger = createLogger('notification', config.LOG_LEVEL);
  const database = openPostgresServerDatabase(config.DATABASE_URL);
  await migrate({
    database,
    directories: notificationMigrationsDirs,
    logger,
  });
  const service = await startNotificationService({
    database,
    bus: new PostgresMessageBus(database, { logger }),
    logger,
    port: config.PORT,
    host: config.HOST,
    internalToken: config.INTERNAL_SERVICE_TOKEN,
  });
  stopOnSignals(logger, async () => {
    await service.stop();
    await database.close();
  });
});
