import {
  marketDataResolvers as m,
  marketDataTypeResolvers,
  type MarketDataContext,
} from '@simple-securities/market-data-adapters';
import type { GraphQLResolverMap } from '@simple-securities/service-kit';
import {
  type MarketSideContext,
  marketSideResolvers,
  type TradingContext,
  userOrders,
} from '@simple-securities/trading-adapters';
import {
  myOrder,
  myOrderUpdates,
  type SpotOrdersContext,
  spotOrderMutations,
} from './spot-order-resolvers.js';

export type CryptoContext = MarketDataContext &
  TradingContext &
  SpotOrdersContext &
  MarketSideContext;

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
    order: myOrder,
    ...marketSide.Query,
  },
  Mutation: spotOrderMutations,
  Subscription: {
    priceTicks: m.priceTicks,
    klineUpdates: m.klineUpdates,
    myOrderUpdates,
    ...marketSide.Subscription,
  },
};
