import {
  getKlines,
  getTicker,
  type Instrument,
  type InstrumentCatalog,
  type LiveMarketData,
  type MarketDataReadModel,
  type Ticker,
  watchKlines,
  watchPriceTicks,
} from '@simple-securities/market-data';
import type { SqlExecutor } from '@simple-securities/postgres';
import {
  DateTimeScalar,
  DecimalScalar,
  requireCaller,
  type RequestContext,
} from '@simple-securities/service-kit';
import { type Clock, DomainError, type Page } from '@simple-securities/shared-kernel';
import { listUserOrders, type OrderSummary } from '../orders/postgres-order-list.js';

/** What the market-data resolvers of a trading subgraph need in each request's context. */
export interface MarketDataContext extends RequestContext {
  readonly marketData: {
    readonly catalog: InstrumentCatalog<Instrument>;
    readonly readModel: MarketDataReadModel;
    readonly live: LiveMarketData;
    readonly clock: Clock;
    readonly database: SqlExecutor;
    readonly context: 'crypto' | 'stock';
  };
}

interface KlineArgs {
  interval: string;
  limit?: number | null;
  from?: Date | null;
  to?: Date | null;
}

const klinesOf = (context: MarketDataContext, symbol: string, args: KlineArgs) =>
  getKlines(context.marketData)({
    symbol,
    interval: args.interval,
    limit: args.limit ?? undefined,
    from: args.from ?? undefined,
    to: args.to ?? undefined,
  });

/** The `PriceTick` subscription payload: the ticker as of the tick. */
const priceTickOf = (ticker: Ticker) => ({
  symbol: ticker.symbol,
  price: ticker.lastPrice,
  quantity: ticker.lastQuantity,
  time: ticker.time,
  priceChange24h: ticker.priceChange,
  priceChangePercent24h: ticker.priceChangePercent,
});

/** The scalars the shared market-data SDL declares. */
export const marketDataScalars = { DateTime: DateTimeScalar, Decimal: DecimalScalar };

/**
 * Resolvers shared by the crypto and stock subgraphs; each mounts them under
 * its own field names.
 */
export const marketDataResolvers = {
  serverTime: (_root: unknown, _args: unknown, context: MarketDataContext) =>
    context.marketData.clock.now(),

  instruments: (_root: unknown, _args: unknown, context: MarketDataContext) =>
    context.marketData.catalog.instruments,

  instrument: (_root: unknown, args: { symbol: string }, context: MarketDataContext) =>
    context.marketData.catalog.get(args.symbol),

  /** Federation resolves instrument references by symbol. */
  resolveInstrumentReference: (reference: { symbol: string }, context: MarketDataContext) =>
    context.marketData.catalog.find(reference.symbol) ?? null,

  klines: (_root: unknown, args: KlineArgs & { symbol: string }, context: MarketDataContext) =>
    klinesOf(context, args.symbol, args),

  instrumentKlines: (instrument: Instrument, args: KlineArgs, context: MarketDataContext) =>
    klinesOf(context, instrument.symbol, args),

  ticker: async (_root: unknown, args: { symbol: string }, context: MarketDataContext) =>
    (await getTicker(context.marketData)(args.symbol)) ?? null,

  instrumentTicker: async (instrument: Instrument, _args: unknown, context: MarketDataContext) =>
    (await getTicker(context.marketData)(instrument.symbol)) ?? null,

  priceTicks: {
    subscribe: (_root: unknown, args: { symbols: string[] }, context: MarketDataContext) =>
      watchPriceTicks(context.marketData)(args.symbols),
    resolve: priceTickOf,
  },

  klineUpdates: {
    subscribe: (
      _root: unknown,
      args: { symbol: string; interval: string },
      context: MarketDataContext,
    ) => watchKlines(context.marketData)(args.symbol, args.interval),
    resolve: (kline: unknown) => kline,
  },

  /** A user's orders in this context; only the user themself may read them. */
  userOrders: async (
    user: { id: string },
    args: { first: number; after?: string | null },
    context: MarketDataContext,
  ) => {
    if (requireCaller(context.caller).userId !== user.id) {
      throw new DomainError('FORBIDDEN', 'You can only read your own orders.');
    }
    const page: Page<OrderSummary> = await listUserOrders(
      context.marketData.database,
      context.marketData.context,
      user.id,
      { first: args.first, after: args.after ?? undefined },
    );
    return {
      edges: page.items,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.items.at(-1)?.cursor ?? null },
    };
  },
};
