import { getMarketStatus, type Stock } from '@simple-securities/market-data';
import {
  marketDataResolvers as m,
  marketDataScalars,
  type MarketDataContext,
} from '@simple-securities/market-data-adapters';
import type { GraphQLResolverMap } from '@simple-securities/service-kit';

export interface StockContext extends MarketDataContext {
  /** Ignore the trading calendar (demos, tests). */
  readonly alwaysOpen: boolean;
}

export const resolvers: GraphQLResolverMap<StockContext> = {
  ...marketDataScalars,
  Stock: {
    __resolveReference: m.resolveInstrumentReference,
    marketStatus: (stock: Stock, _args: unknown, context: StockContext) => ({
      ...getMarketStatus(context)(stock, context.marketData.clock.now()),
      timeZone: stock.calendar.timeZone,
      sessionOpen: stock.calendar.sessionOpen,
      sessionClose: stock.calendar.sessionClose,
    }),
    ticker: m.instrumentTicker,
    klines: m.instrumentKlines,
  },
  User: {
    stockOrders: m.userOrders,
  },
  Query: {
    serverTime: m.serverTime,
    stocks: m.instruments,
    stock: m.instrument,
    stockKlines: m.klines,
    stockTicker: m.ticker,
  },
  Subscription: {
    stockPriceTicks: m.priceTicks,
    stockKlineUpdates: m.klineUpdates,
  },
};
