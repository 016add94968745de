import { getMarketStatus, type Stock } from '@simple-securities/market-data';
import {
  marketDataResolvers as m,
  marketDataTypeResolvers,
  type MarketDataContext,
} from '@simple-securities/market-data-adapters';
import type { GraphQLResolverMap } from '@simple-securities/service-kit';
import {
  type MarketSideContext,
  marketSideResolvers,
  type OrderEntryContext,
  orderEntryResolvers,
  type TradingContext,
  userOrders,
} from '@simple-securities/trading-adapters';

export interface StockContext
  extends MarketDataContext, TradingContext, OrderEntryContext, MarketSideContext {
  /** Ignore the trading calendar (demos, tests). */
  readonly alwaysOpen: boolean;
}

const orderEntry = orderEntryResolvers({
  place: 'placeStockOrder',
  cancel: 'cancelStockOrder',
  amend: 'amendStockOrder',
  order: 'stockOrder',
  updates: 'myStockOrderUpdates',
});
const marketSide = marketSideResolvers('Stock');

export const resolvers: GraphQLResolverMap<StockContext> = {
  ...marketDataTypeResolvers,
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
    stockOrders: userOrders,
    ...marketSide.User,
  },
  Query: {
    serverTime: m.serverTime,
    stocks: m.instruments,
    stock: m.instrument,
    stockKlines: m.klines,
    stockTicker: m.ticker,
    ...orderEntry.Query,
    ...marketSide.Query,
  },
  Mutation: orderEntry.Mutation,
  Subscription: {
    stockPriceTicks: m.priceTicks,
    stockKlineUpdates: m.klineUpdates,
    ...orderEntry.Subscription,
    ...marketSide.Subscription,
  },
};
