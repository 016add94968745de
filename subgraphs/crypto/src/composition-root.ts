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
import { aroundTheClock } from '@simple-securities/trading';
import {
  openOrderEntry,
  tickerPrices,
  tradingInstrumentOf,
} from '@simple-securities/trading-adapters';
import { BinancePriceFeed } from './adapters/binance-price-feed.js';
import { type CryptoConfig, cryptoConfig } from './config.js';
import { type CryptoContext, resolvers } from './graphql/resolvers.js';
import { typeDefs } from './graphql/schema.js';

/**
 * Decimals of each asset's minor unit, as core's wallets hold them: every crypto asset
 * has 8, USDT 6.
 */
export const walletScaleOf = (asset: string): number => (asset === 'USDT' ? 6 : 8);

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
  const { database, logger, config, clock, server, internalGrpc } = dependencies;
  const catalog = new InstrumentCatalog(CRYPTO_PAIRS);
  const marketData = await startMarketData({
    schema: 'crypto',
    catalog,
    feed: feed ?? priceFeedFor(config, catalog, logger),
    eventType: PRICE_TICKED_EVENT_TYPES.CRYPTO,
    ...dependencies,
    retention: config,
  });
  const spot = await openOrderEntry({
    schema: 'crypto',
    instruments: CRYPTO_PAIRS.map((pair) => tradingInstrumentOf(pair, walletScaleOf)),
    sessionOf: () => aroundTheClock,
    fees: { maker: config.SPOT_MAKER_FEE, taker: config.SPOT_TAKER_FEE },
    lastPrices: tickerPrices(marketData.marketData.readModel),
    funds: {
      address: internalGrpc?.core ?? config.FUNDS_GRPC_ADDRESS,
      internalToken: server.internalToken,
    },
    liquidityProvider: config,
    database,
    clock,
    logger,
  });
  return startSubgraphServer<CryptoContext>(
    {
      name: 'crypto',
      typeDefs,
      resolvers,
      extendContext: (base) => ({
        ...base,
        marketData: marketData.marketData,
        trading: { orders: spot.orderEntry.orders },
        orderEntry: spot.orderEntry,
        marketSide: spot.marketSide,
      }),
    },
    { ...server, logger, subscriptions: true, stopAfter: [marketData, spot] },
  );
};

export const cryptoSubgraph = defineSubgraphService({
  name: 'crypto',
  defaultPort: 4002,
  config: cryptoConfig,
  migrations: [fileURLToPath(new URL('../migrations/', import.meta.url))],
  start: startCryptoService,
});
