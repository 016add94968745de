import { fileURLToPath } from 'node:url';
import {
  InstrumentCatalog,
  isMarketOpen,
  PRICE_TICKED_EVENT_TYPES,
  type PriceFeed,
  type Stock,
  STOCKS,
} from '@simple-securities/market-data';
import { SimulatedPriceFeed, startMarketData } from '@simple-securities/market-data-adapters';
import {
  defineSubgraphService,
  type RunningService,
  startSubgraphServer,
  type SubgraphServiceDependencies,
} from '@simple-securities/service-kit';
import {
  openOrderEntry,
  tickerPrices,
  tradingInstrumentOf,
} from '@simple-securities/trading-adapters';
import { stockSessionOf, walletScaleOf } from './adapters/stock-session.js';
import { type StockConfig, stockConfig } from './config.js';
import { resolvers, type StockContext } from './graphql/resolvers.js';
import { typeDefs } from './graphql/schema.js';

/**
 * Wires the stock context: simulated prices during market hours → bus → candles and
 * tickers → GraphQL; stock orders through one desk per stock, in session.
 */
export const startStockService = async ({
  feed,
  ...dependencies
}: SubgraphServiceDependencies<StockConfig> & {
  /** Replaces the simulated price feed (tests drive prices by hand). */
  readonly feed?: PriceFeed;
}): Promise<RunningService> => {
  const { database, logger, config, clock, server, internalGrpc } = dependencies;
  const alwaysOpen = config.STOCK_MARKET_ALWAYS_OPEN;
  const catalog = new InstrumentCatalog<Stock>(STOCKS);
  const marketData = await startMarketData({
    schema: 'stock',
    catalog,
    feed:
      feed ??
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
    ...dependencies,
    retention: config,
  });
  const stocks = await openOrderEntry({
    schema: 'stock',
    instruments: STOCKS.map((stock) => tradingInstrumentOf(stock, walletScaleOf)),
    sessionOf: (symbol) => stockSessionOf(catalog.get(symbol), alwaysOpen),
    fees: { maker: config.STOCK_MAKER_FEE, taker: config.STOCK_TAKER_FEE },
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
  return startSubgraphServer<StockContext>(
    {
      name: 'stock',
      typeDefs,
      resolvers,
      extendContext: (base) => ({
        ...base,
        marketData: marketData.marketData,
        trading: { orders: stocks.orderEntry.orders },
        orderEntry: stocks.orderEntry,
        marketSide: stocks.marketSide,
        alwaysOpen,
      }),
    },
    { ...server, logger, subscriptions: true, stopAfter: [marketData, stocks] },
  );
};

export const stockSubgraph = defineSubgraphService({
  name: 'stock',
  defaultPort: 4003,
  config: stockConfig,
  migrations: [fileURLToPath(new URL('../migrations/', import.meta.url))],
  start: startStockService,
});
