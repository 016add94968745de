import type { SqlDatabase } from '@simple-securities/postgres';
import { migrate, PostgresMessageBus } from '@simple-securities/postgres';
import {
  DEFAULT_PUBLIC_SUBSCRIPTION_FIELDS,
  startRouter,
  type RunningRouter,
} from '@simple-securities/router';
import { loadConfig, type Logger, type RunningService } from '@simple-securities/service-kit';
import {
  cryptoConfigShape,
  cryptoMigrationsDirs,
  startCryptoService,
} from '@simple-securities/crypto-subgraph';
import {
  startStockService,
  stockConfigShape,
  stockMigrationsDirs,
} from '@simple-securities/stock-subgraph';
import { coreMigrations, createCoreService } from '@simple-securities/core-subgraph';
import {
  notificationMigrationsDirs,
  startNotificationService,
} from '@simple-securities/notification-subgraph';

/** Ports of the services; 0 lets the OS pick a free one (tests). */
export interface StackPorts {
  readonly router: number;
  readonly core: number;
  readonly crypto: number;
  readonly stock: number;
  readonly notification: number;
}

export interface StackOptions {
  readonly database: SqlDatabase;
  readonly logger: Logger;
  readonly supergraphSdl: string;
  readonly ports: StackPorts;
  readonly host?: string;
  readonly jwtSecret: string;
  readonly jwtTtlSeconds: number;
  readonly internalToken: string;
  /** Creates the documented demo users when they are missing. */
  readonly seedDemoData: boolean;
  /** Where the contexts read their own settings (price feeds, market hours); ports come from `ports`. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface RunningStack {
  readonly router: RunningRouter;
  readonly subgraphs: Readonly<Record<keyof Omit<StackPorts, 'router'>, RunningService>>;
  stop(): Promise<void>;
}

/** Every context's migration folders, each once (several need the event platform's). */
export const stackMigrationDirs: readonly string[] = [
  ...new Set([
    ...coreMigrations,
    ...cryptoMigrationsDirs,
    ...stockMigrationsDirs,
    ...notificationMigrationsDirs,
  ]),
];

/**
 * Every service of the supergraph in this process, sharing one database: what
 * `npm start` runs, and what the end-to-end tests start on free ports.
 */
export const startStack = async (options: StackOptions): Promise<RunningStack> => {
  const { database, logger, ports, host, internalToken } = options;
  const log = (service: string) => logger.child({ service });
  await migrate({ database, directories: stackMigrationDirs, logger: log('migrator') });
  // In embedded and postgres modes the bus is a log in the shared database.
  const bus = new PostgresMessageBus(database, { logger: log('message-bus') });

  const coreService = await createCoreService({
    database,
    logger: log('core'),
    migrate: false,
    config: {
      JWT_SECRET: options.jwtSecret,
      JWT_TTL_SECONDS: options.jwtTtlSeconds,
      INTERNAL_SERVICE_TOKEN: internalToken,
      PORT: ports.core,
      HOST: host ?? '127.0.0.1',
    },
  });
  if (options.seedDemoData) await coreService.seedDemoUsers();
  const core = await coreService.start();

  const shared = { HOST: host ?? '127.0.0.1', INTERNAL_SERVICE_TOKEN: internalToken };
  const crypto = await startCryptoService({
    database,
    bus,
    logger: log('crypto'),
    config: { ...loadConfig(cryptoConfigShape, options.env), ...shared, CRYPTO_PORT: ports.crypto },
  });
  const stock = await startStockService({
    database,
    bus,
    logger: log('stock'),
    config: { ...loadConfig(stockConfigShape, options.env), ...shared, STOCK_PORT: ports.stock },
  });

  const notification = await startNotificationService({
    database,
    bus,
    logger: log('notification'),
    port: ports.notification,
    host,
    internalToken,
  });
  const subgraphs = { core, crypto, stock, notification };

  const router = await startRouter({
    supergraphSdl: options.supergraphSdl,
    subgraphUrls: Object.fromEntries(
      Object.entries(subgraphs).map(([name, service]) => [name, service.url]),
    ),
    logger: log('router'),
    jwtSecret: options.jwtSecret,
    internalToken,
    port: ports.router,
    host,
    subscriptions: { publicSubscriptionFields: DEFAULT_PUBLIC_SUBSCRIPTION_FIELDS },
  });

  return {
    router,
    subgraphs: subgraphs as RunningStack['subgraphs'],
    async stop() {
      await router.stop();
      await Promise.all([coreService.stop(), crypto.stop(), stock.stop(), notification.stop()]);
    },
  };
};
