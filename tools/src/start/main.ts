/**
 * `npm start`: the whole supergraph in one process. Embedded Postgres (PGlite)
 * under DATA_DIR by default; a Postgres server when DATABASE_URL is set.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  openPgliteDatabase,
  openPostgresServerDatabase,
  type SqlDatabase,
} from '@simple-securities/postgres';
import {
  accessTokenConfig,
  commonConfig,
  createLogger,
  loadConfig,
  port,
  runMain,
  seedsDemoData,
  stopOnSignals,
  type Logger,
} from '@simple-securities/service-kit';
import { startStack } from './stack.js';

const repositoryRoot = path.resolve(import.meta.dirname, '../../..');

const config = () =>
  loadConfig({
    ...commonConfig,
    ...accessTokenConfig,
    DATA_DIR: z.string().default(path.join(repositoryRoot, '.data')),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    SUPERGRAPH_PATH: z.string().default(path.join(repositoryRoot, 'schema/supergraph.graphql')),
    HOST: z.string().default('127.0.0.1'),
    /** On by default, except under NODE_ENV=production (see `seedsDemoData`). */
    SEED_DEMO_DATA: z.stringbool().optional(),
    PORT: port(4000),
    CORE_PORT: port(4001),
    CRYPTO_PORT: port(4002),
    STOCK_PORT: port(4003),
    NOTIFICATION_PORT: port(4004),
  });

const openDatabase = async (
  settings: { DATABASE_URL?: string | undefined; DATA_DIR: string },
  logger: Logger,
): Promise<SqlDatabase> => {
  if (settings.DATABASE_URL) {
    logger.info({ mode: 'postgres' }, 'using the Postgres server at DATABASE_URL');
    return openPostgresServerDatabase(settings.DATABASE_URL);
  }
  const dataDir = path.join(settings.DATA_DIR, 'pglite');
  await mkdir(dataDir, { recursive: true });
  logger.info(
    { mode: 'embedded', dataDir },
    'opening the embedded Postgres (PGlite); the first start takes a few seconds',
  );
  return openPgliteDatabase(dataDir);
};

runMain('simple-securities', async () => {
  const startedAt = performance.now();
  const settings = config();
  const rootLogger = createLogger(undefined, settings.LOG_LEVEL);
  const logger = rootLogger.child({ service: 'launcher' });
  const supergraphSdl = await readFile(settings.SUPERGRAPH_PATH, 'utf8').catch(() => {
    throw new Error(
      `No supergraph at ${settings.SUPERGRAPH_PATH}: run \`npm run schema\` to compose it.`,
    );
  });
  const database = await openDatabase(settings, logger);
  const stack = await startStack({
    database,
    logger: rootLogger,
    supergraphSdl,
    host: settings.HOST,
    jwtSecret: settings.JWT_SECRET,
    jwtTtlSeconds: settings.JWT_TTL_SECONDS,
    internalToken: settings.INTERNAL_SERVICE_TOKEN,
    seedDemoData: seedsDemoData(process.env),
    env: process.env,
    ports: {
      router: settings.PORT,
      core: settings.CORE_PORT,
      crypto: settings.CRYPTO_PORT,
      stock: settings.STOCK_PORT,
      notification: settings.NOTIFICATION_PORT,
    },
  });
  stopOnSignals(logger, async () => {
    await stack.stop();
    await database.close();
  });

  const origin = new URL(stack.router.url).origin;
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  logger.info({ url: stack.router.url }, `Simple Securities is ready in ${seconds}s`);
  process.stdout.write(
    [
      '',
      `  Simple Securities is ready (${seconds}s).`,
      '',
      `  GraphQL endpoint     ${stack.router.url}`,
      `  Landing page         ${origin}/`,
      `  GraphiQL (offline)   ${origin}/graphiql`,
      `  Health / ready       ${origin}/health  ${origin}/ready`,
      ...Object.entries(stack.subgraphs).map(
        ([name, service]) => `  ${`${name} subgraph`.padEnd(21)}${service.url}`,
      ),
      '',
      '  Demo users: alice@example.com / alice-password-1, bob@example.com / bob-password-1,',
      '              admin@example.com / admin-password-1 (ADMIN)',
      '',
      '  Ctrl-C stops everything cleanly.',
      '',
    ].join('\n'),
  );
});
