import { fileURLToPath } from 'node:url';
import type { MessageBus } from '@simple-securities/event-sourcing';
import {
  InstrumentCatalog,
  isMarketOpen,
  PRICE_TICKED_EVENT_TYPES,
  type PriceFeed,
  type Stock,
  STOCKS,
} from '@simple-securities/market-data';
import {
  postgresMarketDataReadModel,
  SimulatedPriceFeed,
  startMarketDataService,
} from '@simple-securities/market-data-adapters';
import {
  PostgresMessageBus,
  platformMigrationsDir,
  type SqlDatabase,
  type SqlExecutor,
} from '@simple-securities/postgres';
import {
  type Logger,
  type RunningService,
  startSubgraphServer,
} from '@simple-securities/service-kit';
import { type Clock, systemClock } from '@simple-securities/shared-kernel';
import type { StockConfig } from './config.js';
import { resolvers, type StockContext } from './graphql/resolvers.js';
import { typeDefs } from './graphql/schema.js';

/** Migrations the stock context needs: the event platform's (its bus) and its own tables. */
export const stockMigrationsDirs = [
  platformMigrationsDir,
  fileURLToPath(new URL('../migrations/', import.meta.url)),
];

export interface StockServiceOptions {
  readonly database: SqlDatabase;
  readonly logger: Logger;
  readonly config: StockConfig;
  /** Defaults to the Postgres bus on `database`. */
  readonly bus?: MessageBus<SqlExecutor>;
  readonly clock?: Clock;
  /** Replaces the configured price feed (tests drive prices by hand). */
  readonly feed?: PriceFeed;
}

/** Wires the stock context: simulated prices during market hours → bus → candles and tickers → GraphQL. */
export const startStockService = async (options: StockServiceOptions): Promise<RunningService> => {
  const { database, config } = options;
  const logger = options.logger.child({ subgraph: 'stock' });
  const clock = options.clock ?? systemClock;
  const alwaysOpen = config.STOCK_MARKET_ALWAYS_OPEN;
  const catalog = new InstrumentCatalog<Stock>(STOCKS);
  const bus = options.bus ?? new PostgresMessageBus(database, { logger });

  const marketData = await startMarketDataService({
    context: 'stock',
    catalog,
    feed:
      options.feed ??
      new SimulatedPriceFeed({
        instruments: catalog.instruments,
        seed: config.PRICE_FEED_SEED,
        ticksPerSecond: config.PRICE_TICK_RATE,
        clock,
        // Stocks trade only in their session, unless the demo setting keeps the market open.
        isOpen: (instrument, at) =>
          alwaysOpen || isMarketOpen(catalog.get(instrument.symbol).calendar, at),
      }),
    bus,
    eventType: PRICE_TICKED_EVENT_TYPES.STOCK,
    logger,
  });
  const readModel = postgresMarketDataReadModel(database, 'stock');
  try {
    const server = await startSubgraphServer<StockContext>(
      {
        name: 'stock',
        typeDefs,
        resolvers,
        extendContext: (base) => ({
          ...base,
          alwaysOpen,
          marketData: {
            catalog,
            readModel,
            live: marketData.live,
            clock,
            database,
            context: 'stock',
          },
        }),
      },
      {
        port: config.STOCK_PORT,
        host: config.HOST,
        logger,
        internalToken: config.INTERNAL_SERVICE_TOKEN,
        subscriptions: true,
      },
    );
    return {
      url: server.url,
      port: server.port,
      async stop() {
        await server.stop();
        await marketData.stop();
      },
    };
  } catch (error) {
    await marketData.stop();
    throw error;
  }
};
