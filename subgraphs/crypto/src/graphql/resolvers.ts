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

export type CryptoContext = MarketDataContext &
  TradingContext &
  OrderEntryContext &
  MarketSideContext;

const orderEntry = orderEntryResolvers({
  place: 'placeOrder',
  cancel: 'cancelOrder',
  amend: 'amendOrder',
  order: 'order',
  updates: 'myOrderUpdates',
});
const marketSide = marketSideResolvers('Crypto');

export const resolvers: GraphQLResolverMap<CryptoContext> = {
  ...marketDataTypeResolvers,
  CryptoPair: {
    __resolveReference: m.resolveInstrumentReference,
    ticker: m.instrumentTicker,
    klines: m.instrumentKlines,
  },
  CryptoPriceTick: {
    pair: (tick: { symbol: string }, _args: unknown, context: CryptoContext) =>
      context.marketData.catalog.get(tick.symbol),
  },
  User: {
    cryptoOrders: userOrders,
    ...marketSide.User,
  },
  Query: {
    serverTime: m.serverTime,
    cryptoPairs: m.instruments,
    cryptoPair: m.instrument,
    klines: m.klines,
    ticker: m.ticker,
    ...orderEntry.Query,
    ...marketSide.Query,
  },
  Mutation: orderEntry.Mutation,
  Subscription: {
    priceTicks: m.priceTicks,
    klineUpdates: m.klineUpdates,
    ...orderEntry.Subscription,
    ...marketSide.Subscription,
  },
};
