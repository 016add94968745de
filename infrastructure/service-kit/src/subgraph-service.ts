import type { MessageBus } from '@simple-securities/event-sourcing';
import {
  migrate,
  openPostgresServerDatabase,
  platformMigrationsDir,
  PostgresMessageBus,
  type SqlDatabase,
  type SqlExecutor,
} from '@simple-securities/postgres';
import { type Clock, systemClock } from '@simple-securities/shared-kernel';
import { z } from 'zod';
import { commonConfig, loadConfig, port } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { runMain, stopOnSignals } from './shutdown.js';
import { startTracingFromEnvironment, withDatabaseSpans } from './telemetry/tracing.js';
import type { RunningService } from './subgraph-server.js';

/** Where a subgraph serves, and the token that proves forwarded callers came from the router. */
export interface ServerAddress {
  readonly port: number;
  readonly host: string;
  readonly internalToken: string;
}

/** What every subgraph gets from whoever starts it, alone or with the others in one process. */
export interface SubgraphServiceDependencies<Config> {
  /** An open database (PGlite or a Postgres server) with the service's migrations applied. */
  readonly database: SqlDatabase;
  /** Where integration events travel: the log table in `database` in embedded and postgres modes. */
  readonly bus: MessageBus<SqlExecutor>;
  readonly logger: Logger;
  /** The variables of `SubgraphService.config`, validated. */
  readonly config: Config;
  readonly clock: Clock;
  readonly server: ServerAddress;
  /**
   * The internal gRPC addresses (host:port) of the services started before this one in
   * the same process, by service name (`core` → its funds service). A service started
   * alone gets none and reads the address from its own settings.
   */
  readonly internalGrpc?: Readonly<Record<string, string>>;
}

/**
 * One bounded context served as a subgraph: its name, its own settings and
 * migrations, and how to wire and start it. Everything else (reading the
 * environment, opening the database, migrating, the bus, stopping on a signal)
 * is the same for every context and done here, by `runSubgraphAlone` for one
 * service or by the launcher for all of them.
 */
export interface SubgraphService<Shape extends z.ZodRawShape = z.ZodRawShape> {
  /** Names the subgraph in the supergraph, its logs and its port variable (`crypto` → `CRYPTO_PORT`). */
  readonly name: string;
  readonly defaultPort: number;
  /** The variables only this context reads. Only it validates them, so two contexts never disagree on one. */
  readonly config: Shape;
  /** This context's own migration folders (the event platform's are added for every context). */
  readonly migrations: readonly string[];
  start(
    dependencies: SubgraphServiceDependencies<z.infer<z.ZodObject<Shape>>>,
  ): Promise<RunningService>;
}

/** A service whose settings are validated: it starts without reading the environment again. */
export interface ConfiguredSubgraph {
  readonly name: string;
  start(
    dependencies: Omit<SubgraphServiceDependencies<unknown>, 'config'>,
  ): Promise<RunningService>;
}

/**
 * Validates the service's own variables in `env`. Whoever starts several
 * services configures all of them first, so a bad value stops the process
 * before any service has opened anything.
 */
export const configure = <Shape extends z.ZodRawShape>(
  service: SubgraphService<Shape>,
  env: Record<string, string | undefined> = process.env,
): ConfiguredSubgraph => {
  const config = loadConfig(service.config, env);
  return {
    name: service.name,
    start: (dependencies) => service.start({ ...dependencies, config }),
  };
};

/** Declares a subgraph service with its config type inferred from its shape. */
export const defineSubgraphService = <Shape extends z.ZodRawShape>(
  service: SubgraphService<Shape>,
): SubgraphService<Shape> => service;

/** `crypto` → `CRYPTO_PORT`: every subgraph's port has its own name, so one environment can hold all of them. */
export const portVariableOf = (service: Pick<SubgraphService, 'name'>): string =>
  `${service.name.toUpperCase()}_PORT`;

/** The port a service listens on, from its own variable. */
export const loadPort = (
  service: Pick<SubgraphService, 'name' | 'defaultPort'>,
  env: Record<string, string | undefined> = process.env,
): number => {
  const variable = portVariableOf(service);
  return loadConfig({ [variable]: port(service.defaultPort) }, env)[variable] as number;
};

/** The migration folders of the given services, the event platform's first, each once. */
export const migrationsOf = (
  services: readonly Pick<SubgraphService, 'migrations'>[],
): string[] => [
  ...new Set([platformMigrationsDir, ...services.flatMap((service) => service.migrations)]),
];

/** Settings every subgraph process reads the same way. */
export const serverConfig = {
  ...commonConfig,
  HOST: z.string().min(1).default('127.0.0.1'),
};

/** A Postgres server's URL (`postgres://` or `postgresql://`). */
export const postgresUrl = z.url({ protocol: /^postgres(ql)?$/ });

/**
 * A service process: validated settings, a logger named after the service,
 * traces when `OTEL_EXPORTER_OTLP_ENDPOINT` is set, start-up failures reported
 * in plain words (see `runMain`) and a clean stop on Ctrl-C / SIGTERM.
 */
export const runService = <Shape extends z.ZodRawShape>(
  name: string,
  shape: Shape,
  start: (
    config: z.infer<z.ZodObject<Shape>>,
    logger: Logger,
  ) => Promise<{ stop(): Promise<void> }>,
): void =>
  runMain(name, async () => {
    const config = loadConfig(shape);
    const logger = createLogger(name, loadConfig({ LOG_LEVEL: commonConfig.LOG_LEVEL }).LOG_LEVEL);
    const tracing = startTracingFromEnvironment(name, logger);
    const service = await start(config, logger);
    stopOnSignals(logger, async () => {
      await service.stop();
      await tracing?.stop();
    });
  });

/**
 * The one-service-alone mode: runs `service` on the Postgres server at
 * `DATABASE_URL`, after applying its migrations, with the bus in that database.
 */
export const runSubgraphAlone = <Shape extends z.ZodRawShape>(
  service: SubgraphService<Shape>,
): void =>
  runService(
    service.name,
    { ...serverConfig, DATABASE_URL: postgresUrl },
    async (settings, logger) => {
      // Read before anything opens, so a bad value stops the service with nothing to undo.
      const configured = configure(service);
      const listenPort = loadPort(service);
      const database = withDatabaseSpans(openPostgresServerDatabase(settings.DATABASE_URL));
      try {
        await migrate({ database, directories: migrationsOf([service]), logger });
        const running = await configured.start({
          database,
          bus: new PostgresMessageBus(database, { logger }),
          logger,
          clock: systemClock,
          server: {
            port: listenPort,
            host: settings.HOST,
            internalToken: settings.INTERNAL_SERVICE_TOKEN,
          },
        });
        return {
          async stop() {
            await running.stop();
            await database.close();
          },
        };
      } catch (error) {
        await database.close();
        throw error;
      }
    },
  );
