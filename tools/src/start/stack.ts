import type { SqlDatabase } from '@simple-securities/postgres';
import { migrate, PostgresMessageBus } from '@simple-securities/postgres';
import {
  edgeOptionsOf,
  loadRouterConfig,
  startRouter,
  type RunningRouter,
} from '@simple-securities/router';
import {
  configure,
  type Logger,
  migrationsOf,
  type RunningService,
  type SubgraphService,
  withDatabaseSpans,
} from '@simple-securities/service-kit';
import { type Clock, systemClock } from '@simple-securities/shared-kernel';
import { coreSubgraph } from '@simple-securities/core-subgraph';
import { cryptoSubgraph } from '@simple-securities/crypto-subgraph';
import { notificationSubgraph } from '@simple-securities/notification-subgraph';
import { stockSubgraph } from '@simple-securities/stock-subgraph';

export type SubgraphName = 'core' | 'crypto' | 'stock' | 'notification';

/** Every subgraph of the supergraph, in the order they start (core first: it seeds the demo users). */
export const subgraphServices: readonly SubgraphService[] = [
  coreSubgraph,
  cryptoSubgraph,
  stockSubgraph,
  notificationSubgraph,
];

/** Ports of the services; 0 lets the OS pick a free one (tests). */
export type StackPorts = Readonly<Record<'router' | SubgraphName, number>>;

export interface StackOptions {
  readonly database: SqlDatabase;
  readonly logger: Logger;
  readonly supergraphSdl: string;
  /** The file `supergraphSdl` came from: the router serves its changes without a restart. */
  readonly supergraphPath?: string;
  readonly ports: StackPorts;
  /** Where the services read their settings; each context validates only its own. Ports come from `ports`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Each service's time; the system clock unless a test sets a service's own. */
  readonly clockOf?: (service: SubgraphName) => Clock;
}

export interface RunningStack {
  readonly router: RunningRouter;
  readonly subgraphs: Readonly<Record<SubgraphName, RunningService>>;
  stop(): Promise<void>;
}

/** Every context's migration folders, each once (several need the event platform's). */
export const stackMigrationDirs: readonly string[] = migrationsOf(subgraphServices);

/**
 * Every setting the stack reads, checked together: a refused value (a development
 * secret in production, say) stops the launch before a database opens or a feed starts.
 */
export const configureStack = (env: Record<string, string | undefined>) => ({
  settings: loadRouterConfig(env),
  contexts: subgraphServices.map((service) => configure(service, env)),
});

/**
 * Every service of the supergraph in this process, sharing one database: what
 * `npm start` runs, and what the end-to-end tests start on free ports.
 */
export const startStack = async (options: StackOptions): Promise<RunningStack> => {
  const { logger, ports, env } = options;
  const database = withDatabaseSpans(options.database);
  const { settings, contexts } = configureStack(env);
  const log = (service: string) => logger.child({ service });
  await migrate({ database, directories: stackMigrationDirs, logger: log('migrator') });
  // In embedded and postgres modes the bus is a log in the shared database.
  const bus = new PostgresMessageBus(database, { logger: log('message-bus') });

  const started: [SubgraphName, RunningService][] = [];
  const stopSubgraphs = () => Promise.all(started.map(([, service]) => service.stop()));
  try {
    for (const context of contexts) {
      const name = context.name as SubgraphName;
      const service = await context.start({
        database,
        bus,
        logger: log(name),
        clock: options.clockOf?.(name) ?? systemClock,
        server: {
          port: ports[name],
          host: settings.HOST,
          internalToken: settings.INTERNAL_SERVICE_TOKEN,
        },
        internalGrpc: Object.fromEntries(
          started.flatMap(([startedName, { internalGrpc }]) =>
            internalGrpc ? [[startedName, internalGrpc]] : [],
          ),
        ),
      });
      started.push([name, service]);
    }
  } catch (error) {
    await stopSubgraphs();
    throw error;
  }
  const subgraphs = Object.fromEntries(started) as RunningStack['subgraphs'];

  const router = await startRouter({
    supergraphSdl: options.supergraphSdl,
    ...(options.supergraphPath ? { supergraphPath: options.supergraphPath } : {}),
    subgraphUrls: Object.fromEntries(started.map(([name, service]) => [name, service.url])),
    logger: log('router'),
    jwtSecret: settings.JWT_SECRET,
    internalToken: settings.INTERNAL_SERVICE_TOKEN,
    port: ports.router,
    host: settings.HOST,
    ...edgeOptionsOf(settings),
  }).catch(async (error: unknown) => {
    await stopSubgraphs();
    throw error;
  });

  return {
    router,
    subgraphs,
    async stop() {
      await router.stop();
      await stopSubgraphs();
    },
  };
};
