import {
  getKlines,
  getTicker,
  type Instrument,
  type InstrumentCatalog,
  type LiveMarketData,
  type MarketDataReadModel,
  type PriceFeed,
  type Ticker,
  watchKlines,
  watchPriceTicks,
} from '@simple-securities/market-data';
import { DateTimeScalar, DecimalScalar, type RequestContext } from '@simple-securities/service-kit';
import type { Clock } from '@simple-securities/shared-kernel';

/** What the market-data resolvers of a trading subgraph need in each request's context. */
export interface MarketDataContext extends RequestContext {
  readonly marketData: {
    readonly catalog: InstrumentCatalog<Instrument>;
    readonly readModel: MarketDataReadModel;
    readonly live: LiveMarketData;
    /** Tells whether the prices are current (see `Ticker.stale`). */
    readonly feed: Pick<PriceFeed, 'isLive'>;
    readonly clock: Clock;
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

/**
 * The types the shared market-data SDL declares: its scalars, and the ticker's
 * staleness, which is the feed's state now rather than anything stored.
 */
export const marketDataTypeResolvers = {
  DateTime: DateTimeScalar,
  Decimal: DecimalScalar,
  Ticker: {
    stale: (_ticker: Ticker, _args: unknown, context: MarketDataContext) =>
      !context.marketData.feed.isLive(),
  },
};

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
};
