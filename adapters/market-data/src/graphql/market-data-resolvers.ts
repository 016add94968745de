import {
  getKlines,
  getTicker,
  type Instrument,
  type InstrumentCatalog,
  type Kline,
  type KlineInterval,
  type LiveMarketData,
  type MarketDataReadModel,
  type PriceFeed,
  type Ticker,
  watchKlines,
  watchPriceTicks,
} from '@simple-securities/market-data';
import { DateTimeScalar, DecimalScalar, type RequestContext } from '@simple-securities/service-kit';
import { type Clock, DomainError } from '@simple-securities/shared-kernel';

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

/** The enum's values as the domain writes them (`KLINE_INTERVALS`). */
const KLINE_INTERVAL_VALUES = {
  ONE_SECOND: '1s',
  ONE_MINUTE: '1m',
  FIVE_MINUTES: '5m',
  FIFTEEN_MINUTES: '15m',
  ONE_HOUR: '1h',
  FOUR_HOURS: '4h',
  ONE_DAY: '1d',
} as const satisfies Record<string, KlineInterval>;

/** `period` (the enum, already mapped to its domain value) or the deprecated `interval` string. */
interface IntervalArgs {
  interval?: string | null;
  period?: KlineInterval | null;
}

const intervalOf = ({ interval, period }: IntervalArgs): string => {
  if (period && interval && period !== interval)
    throw new DomainError('BAD_USER_INPUT', 'Give period or interval, not two different lengths.');
  const chosen = period ?? interval;
  if (!chosen) throw new DomainError('BAD_USER_INPUT', 'period is required.');
  return chosen;
};

interface KlineArgs extends IntervalArgs {
  limit?: number | null;
  from?: Date | null;
  to?: Date | null;
}

const klinesOf = (context: MarketDataContext, symbol: string, args: KlineArgs) =>
  getKlines(context.marketData)({
    symbol,
    interval: intervalOf(args),
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
  KlineInterval: KLINE_INTERVAL_VALUES,
  Kline: { period: (kline: Kline) => kline.interval },
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
      args: IntervalArgs & { symbol: string },
      context: MarketDataContext,
    ) => watchKlines(context.marketData)(args.symbol, intervalOf(args)),
    resolve: (kline: unknown) => kline,
  },
};
