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
  SimulatedPriceFeed,
  startMarketDataSubgraph,
} from '@simple-securities/market-data-adapters';
import {
  platformMigrationsDir,
  type SqlDatabase,
  type SqlExecutor,
} from '@simple-securities/postgres';
import type { Logger, RunningService } from '@simple-securities/service-kit';
import { type Clock, systemClock } from '@simple-securities/shared-kernel';
import type { StockConfig } from './config.js';
import { resolvers } from './graphql/resolvers.js';
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
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const alwaysOpen = config.STOCK_MARKET_ALWAYS_OPEN;
  const catalog = new InstrumentCatalog<Stock>(STOCKS);
  return startMarketDataSubgraph({
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
    eventType: PRICE_TICKED_EVENT_TYPES.STOCK,
    database: options.database,
    bus: options.bus,
    clock,
    logger: options.logger.child({ subgraph: 'stock' }),
    typeDefs,
    resolvers,
    extraContext: { alwaysOpen },
    port: config.STOCK_PORT,
    host: config.HOST,
    internalToken: config.INTERNAL_SERVICE_TOKEN,
    kline1sRetentionMinutes: config.KLINE_1S_RETENTION_MINUTES,
    priceTickRetentionMinutes: config.BUS_PRICE_TICK_RETENTION_MINUTES,
  });
};
