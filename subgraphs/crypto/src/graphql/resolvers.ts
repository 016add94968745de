import {
  marketDataResolvers as m,
  type MarketDataContext,
} from '@simple-securities/market-data-adapters';
import {
  DateTimeScalar,
  DecimalScalar,
  type GraphQLResolverMap,
} from '@simple-securities/service-kit';

export type CryptoContext = MarketDataContext;

export const resolvers: GraphQLResolverMap<CryptoContext> = {
  DateTime: DateTimeScalar,
  Decimal: DecimalScalar,
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
    cryptoOrders: m.userOrders,
  },
  Query: {
    serverTime: m.serverTime,
    cryptoPairs: m.instruments,
    cryptoPair: m.instrument,
    klines: m.klines,
    ticker: m.ticker,
  },
  Subscription: {
    priceTicks: m.priceTicks,
    klineUpdates: m.klineUpdates,
  },
};
