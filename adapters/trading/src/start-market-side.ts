import type { SqlExecutor } from '@simple-securities/postgres';
import type { Logger } from '@simple-securities/service-kit';
import {
  getOrderBook,
  getPortfolio,
  getRecentTrades,
  type LastPrices,
  listMyTrades,
} from '@simple-securities/trading';
import type { MarketSideContext } from './graphql/market-side-resolvers.js';
import { MarketSideUpdates } from './live/market-side-updates.js';
import type { BookProjection } from './postgres/book-batch.js';
import {
  marketSideProjection,
  type MarketSideProjectionOptions,
} from './postgres/market-side-projection.js';
import { postgresMarketSide } from './postgres/postgres-market-side.js';
import type { TradingSchema } from './postgres/trading-schema.js';

export interface MarketSideOptions {
  readonly database: SqlExecutor;
  readonly logger: Logger;
  readonly schema: TradingSchema;
  /** The listed symbol, normalised; BAD_USER_INPUT otherwise. */
  readonly listedSymbol: (symbol: string) => string;
  /** Prices that value portfolios: the context's market data. */
  readonly lastPrices: LastPrices;
}

export interface RunningMarketSide {
  /**
   * For the context's book journal: keeps the read side in the append's transaction and
   * tells the live updates once it commits.
   */
  projection(options: Omit<MarketSideProjectionOptions, 'schema' | 'committed'>): BookProjection;
  /** What the market-side resolvers read; goes into each request's context. */
  readonly queries: MarketSideContext['marketSide'];
  stop(): Promise<void>;
}

/** A context's read side of its books (ADR 0025): projection, queries and live updates. */
export const startMarketSide = ({
  database,
  logger,
  schema,
  listedSymbol,
  lastPrices,
}: MarketSideOptions): RunningMarketSide => {
  const readModel = postgresMarketSide(database, schema);
  const updates = new MarketSideUpdates(readModel, logger);
  return {
    projection: (options) =>
      marketSideProjection({ ...options, schema, committed: updates.committed }),
    queries: {
      orderBook: getOrderBook({ readModel, listedSymbol }),
      recentTrades: getRecentTrades({ readModel, listedSymbol }),
      myTrades: listMyTrades({ readModel }),
      portfolio: getPortfolio({ readModel, prices: lastPrices }),
      updates,
      listedSymbol,
    },
    stop: async () => updates.close(),
  };
};

/** Last prices from a context's tickers (its market data's read model). */
export const tickerPrices = (tickers: {
  ticker(symbol: string): Promise<{ lastPrice: string; time: Date } | undefined>;
}): LastPrices => ({
  async lastPrice(symbol) {
    const ticker = await tickers.ticker(symbol);
    return ticker && { price: ticker.lastPrice, time: ticker.time };
  },
});
