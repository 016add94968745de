import { fileURLToPath } from 'node:url';
import {
  CRYPTO_PAIRS,
  type Instrument,
  InstrumentCatalog,
  PRICE_TICKED_EVENT_TYPES,
  type PriceFeed,
} from '@simple-securities/market-data';
import { SimulatedPriceFeed, startMarketData } from '@simple-securities/market-data-adapters';
import {
  defineSubgraphService,
  type Logger,
  type RunningService,
  startSubgraphServer,
  type SubgraphServiceDependencies,
} from '@simple-securities/service-kit';
import { postgresOrderList } from '@simple-securities/trading-adapters';
import { BinancePriceFeed } from './adapters/binance-price-feed.js';
import { type CryptoConfig, cryptoConfig } from './config.js';
import { type CryptoContext, resolvers } from './graphql/resolvers.js';
import { typeDefs } from './graphql/schema.js';

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
export const startCryptoService = async ({
  feed,
  ...dependencies
}: SubgraphServiceDependencies<CryptoConfig> & {
  /** Replaces the configured price feed (tests drive prices by hand). */
  readonly feed?: PriceFeed;
}): Promise<RunningService> => {
  const { database, logger, config, server } = dependencies;
  const catalog = new InstrumentCatalog(CRYPTO_PAIRS);
  const marketData = await startMarketData({
    schema: 'crypto',
    catalog,
    feed: feed ?? priceFeedFor(config, catalog, logger),
    eventType: PRICE_TICKED_EVENT_TYPES.CRYPTO,
    ...dependencies,
    retention: config,
  });
  const orders = postgresOrderList(database, 'crypto');
  return startSubgraphServer<CryptoContext>(
    {
      name: 'crypto',
      typeDefs,
      resolvers,
      extendContext: (base) => ({
        ...base,
        marketData: marketData.marketData,
        trading: { orders },
      }),
    },
    { ...server, logger, subscriptions: true, stopAfter: [marketData] },
  );
};

export const cryptoSubgraph = defineSubgraphService({
  name: 'crypto',
  defaultPort: 4002,
  config: cryptoConfig,
  migrations: [fileURLToPath(new URL('../migrations/', import.meta.url))],
  start: startCryptoService,
});
