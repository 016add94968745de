import { fileURLToPath } from 'node:url';
import { FundsClient } from '@simple-securities/funds-client';
import {
  CRYPTO_PAIRS,
  type Instrument,
  InstrumentCatalog,
  normaliseSymbol,
  PRICE_TICKED_EVENT_TYPES,
  type PriceFeed,
  unknownSymbol,
} from '@simple-securities/market-data';
import { SimulatedPriceFeed, startMarketData } from '@simple-securities/market-data-adapters';
import {
  defineSubgraphService,
  type Logger,
  type RunningService,
  startSubgraphServer,
  type SubgraphServiceDependencies,
} from '@simple-securities/service-kit';
import { PostgresEventStore } from '@simple-securities/postgres';
import { CRYPTO_SOURCE } from '@simple-securities/contracts';
import {
  cancelOrder,
  exactDecimal,
  type FeeSchedule,
  OrderBookDesk,
  placeOrder,
  type SpotDesks,
} from '@simple-securities/trading';
import {
  type BookProjection,
  grpcFunds,
  postgresOrderBookJournal,
  postgresOrderList,
  startMarketSide,
  tickerPrices,
} from '@simple-securities/trading-adapters';
import { BinancePriceFeed } from './adapters/binance-price-feed.js';
import { spotInstrumentOf } from './adapters/spot-instruments.js';
import { SpotOrderUpdates } from './adapters/spot-order-updates.js';
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

/**
 * One desk (single writer) per listed pair, each recovered from its stream, settling
 * through core's funds service: the launcher's core when there is one, else the configured address.
 */
const openSpotDesks = async (
  {
    database,
    logger,
    config,
    clock,
    server,
    internalGrpc,
  }: SubgraphServiceDependencies<CryptoConfig>,
  ordersChanged: (orderIds: readonly string[]) => void,
  fees: FeeSchedule,
  projections: readonly BookProjection[],
) => {
  const fundsClient = new FundsClient({
    address: internalGrpc?.core ?? config.FUNDS_GRPC_ADDRESS,
    internalToken: server.internalToken,
  });
  const instruments = new Map(CRYPTO_PAIRS.map((pair) => [pair.symbol, spotInstrumentOf(pair)]));
  const instrumentOf = (symbol: string) => {
    const instrument = instruments.get(normaliseSymbol(symbol));
    if (!instrument) throw unknownSymbol(symbol);
    return instrument;
  };
  const journal = postgresOrderBookJournal(
    database,
    new PostgresEventStore(database, { logger }),
    instrumentOf,
    { projections, clock },
  );
  const desks = new Map<string, OrderBookDesk>();
  for (const instrument of instruments.values())
    desks.set(
      instrument.symbol,
      await OrderBookDesk.open({
        instrument,
        funds: grpcFunds(fundsClient),
        journal,
        fees,
        clock,
        logger,
        ordersChanged,
      }),
    );
  const spotDesks: SpotDesks = {
    desk: (symbol) => {
      const desk = desks.get(instrumentOf(symbol).symbol);
      if (!desk) throw unknownSymbol(symbol);
      return desk;
    },
  };
  return { desks: spotDesks, stop: async () => fundsClient.close() };
};

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
  const orders = postgresOrderList(database, 'crypto');
  const updates = new SpotOrderUpdates(orders, logger);
  const fees = {
    maker: exactDecimal(config.SPOT_MAKER_FEE),
    taker: exactDecimal(config.SPOT_TAKER_FEE),
  };
  const marketData = await startMarketData({
    schema: 'crypto',
    catalog,
    feed: feed ?? priceFeedFor(config, catalog, logger),
    eventType: PRICE_TICKED_EVENT_TYPES.CRYPTO,
    ...dependencies,
    retention: config,
  });
  const marketSide = startMarketSide({
    database,
    logger,
    schema: 'crypto',
    listedSymbol: (symbol) => catalog.get(symbol).symbol,
    lastPrices: tickerPrices(marketData.marketData.readModel),
  });
  const spot = await openSpotDesks(dependencies, updates.changed, fees, [
    marketSide.projection({ fees, source: CRYPTO_SOURCE }),
  ]);
  const spotOrders = {
    place: placeOrder({ desks: spot.desks, orders, newOrderId: () => crypto.randomUUID() }),
    cancel: cancelOrder({ desks: spot.desks, orders }),
    orders,
    updates,
  };
  return startSubgraphServer<CryptoContext>(
    {
      name: 'crypto',
      typeDefs,
      resolvers,
      extendContext: (base) => ({
        ...base,
        marketData: marketData.marketData,
        trading: { orders },
        spotOrders,
        marketSide: marketSide.queries,
      }),
    },
    { ...server, logger, subscriptions: true, stopAfter: [marketData, spot, marketSide] },
  );
};

export const cryptoSubgraph = defineSubgraphService({
  name: 'crypto',
  defaultPort: 4002,
  config: cryptoConfig,
  migrations: [fileURLToPath(new URL('../migrations/', import.meta.url))],
  start: startCryptoService,
});
