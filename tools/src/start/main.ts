/**
 * `npm start`: the whole supergraph in one process. Embedded Postgres (PGlite)
 * under DATA_DIR by default; a Postgres server when DATABASE_URL is set.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  openPgliteDatabase,
  openPostgresServerDatabase,
  type SqlDatabase,
} from '@simple-securities/postgres';
import {
  createLogger,
  loadConfig,
  loadPort,
  runMain,
  seedsDemoData,
  startTracingFromEnvironment,
  stopOnSignals,
  type Logger,
} from '@simple-securities/service-kit';
import { launcherConfig } from './config.js';
import { configureStack, type StackPorts, startStack, subgraphServices } from './stack.js';

const portsFromEnvironment = (routerPort: number): StackPorts =>
  Object.fromEntries([
    ['router', routerPort],
    ...subgraphServices.map((service) => [service.name, loadPort(service)]),
  ]) as StackPorts;

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
  const settings = loadConfig(launcherConfig);
  const ports = portsFromEnvironment(settings.PORT);
  const rootLogger = createLogger(undefined, settings.LOG_LEVEL);
  const logger = rootLogger.child({ service: 'launcher' });
  const supergraphSdl = await readFile(settings.SUPERGRAPH_PATH, 'utf8').catch(() => {
    throw new Error(
      `No supergraph at ${settings.SUPERGRAPH_PATH}: run \`npm run schema\` to compose it.`,
    );
  });
  configureStack(process.env);
  const tracing = startTracingFromEnvironment('simple-securities', logger);
  const database = await openDatabase(settings, logger);
  const stack = await startStack({
    database,
    logger: rootLogger,
    supergraphSdl,
    supergraphPath: settings.SUPERGRAPH_PATH,
    // The demo's books are quoted from the account its demo data funds (ADR 0027).
    env: { LIQUIDITY_PROVIDER_ENABLED: String(seedsDemoData(process.env)), ...process.env },
    ports,
  });
  stopOnSignals(logger, async () => {
    await stack.stop();
    await database.close();
    await tracing?.stop();
  });

  const origin = new URL(stack.router.url).origin;
  const rows: [string, string][] = [
    ['GraphQL endpoint', stack.router.url],
    ['Landing page', `${origin}/`],
    ['GraphiQL (offline)', `${origin}/graphiql`],
    ['Health / ready', `${origin}/health  ${origin}/ready`],
    ...Object.entries(stack.subgraphs).map(([name, service]): [string, string] => [
      `${name} subgraph`,
      service.url,
    ]),
    ...Object.entries(stack.subgraphs).flatMap(([name, service]): [string, string][] =>
      service.internalGrpc ? [[`${name} gRPC (internal)`, service.internalGrpc]] : [],
    ),
  ];
  const labelWidth = Math.max(...rows.map(([label]) => label.length)) + 2;
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  logger.info({ url: stack.router.url }, `Simple Securities is ready in ${seconds}s`);
  process.stdout.write(
    [
      '',
      `  Simple Securities is ready (${seconds}s).`,
      '',
      ...rows.map(([label, value]) => `  ${label.padEnd(labelWidth)}${value}`),
      '',
      ...(seedsDemoData(process.env)
        ? [
            '  Demo users: alice@example.com / alice-password-1, bob@example.com / bob-password-1,',
            '              admin@example.com / admin-password-1 (ADMIN)',
            '',
          ]
        : []),
      '  Ctrl-C stops everything cleanly.',
      '',
    ].join('\n'),
  );
});
