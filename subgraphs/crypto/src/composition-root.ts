import { fileURLToPath } from 'node:url';
import type { MessageBus } from '@simple-securities/event-sourcing';
import {
  CRYPTO_PAIRS,
  type Instrument,
  InstrumentCatalog,
  PRICE_TICKED_EVENT_TYPES,
  type PriceFeed,
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
import { BinancePriceFeed } from './adapters/binance-price-feed.js';
import type { CryptoConfig } from './config.js';
import { resolvers } from './graphql/resolvers.js';
import { typeDefs } from './graphql/schema.js';

/** Migrations the crypto context needs: the event platform's (its bus) and its own tables. */
export const cryptoMigrationsDirs = [
  platformMigrationsDir,
  fileURLToPath(new URL('../migrations/', import.meta.url)),
];

export interface CryptoServiceOptions {
  readonly database: SqlDatabase;
  readonly logger: Logger;
  readonly config: CryptoConfig;
  /** Defaults to the Postgres bus on `database`. */
  readonly bus?: MessageBus<SqlExecutor>;
  readonly clock?: Clock;
  /** Replaces the configured price feed (tests drive prices by hand). */
  readonly feed?: PriceFeed;
}

const priceFeedFor = (
  config: CryptoConfig,
  catalog: InstrumentCatalog<Instrument>,
  logger: Logger,
): PriceFeed =>
  config.PRICE_FEED === 'binance'
    ? new BinancePriceFeed({
        url: config.BINANCE_WS_URL,
        instruments: catalog.instruments,
        stream: config.BINANCE_STREAM,
        staleAfterMs: config.BINANCE_STALE_AFTER_SECONDS * 1000,
        logger,
      })
    : new SimulatedPriceFeed({
        instruments: catalog.instruments,
        seed: config.PRICE_FEED_SEED,
        ticksPerSecond: config.PRICE_TICK_RATE,
      });

/** Wires the crypto context: price feed → bus → candles and tickers → GraphQL, queries and subscriptions. */
export const startCryptoService = async (
  options: CryptoServiceOptions,
): Promise<RunningService> => {
  const { config } = options;
  const logger = options.logger.child({ subgraph: 'crypto' });
  const catalog = new InstrumentCatalog(CRYPTO_PAIRS);
  return startMarketDataSubgraph({
    context: 'crypto',
    catalog,
    feed: options.feed ?? priceFeedFor(config, catalog, logger),
    eventType: PRICE_TICKED_EVENT_TYPES.CRYPTO,
    database: options.database,
    bus: options.bus,
    clock: options.clock ?? systemClock,
    logger,
    typeDefs,
    resolvers,
    extraContext: {},
    port: config.CRYPTO_PORT,
    host: config.HOST,
    internalToken: config.INTERNAL_SERVICE_TOKEN,
    kline1sRetentionMinutes: config.KLINE_1S_RETENTION_MINUTES,
    priceTickRetentionMinutes: config.BUS_PRICE_TICK_RETENTION_MINUTES,
  });
};
