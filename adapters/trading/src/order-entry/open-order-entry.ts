import {
  CRYPTO_SOURCE,
  LIQUIDITY_PROVIDER_USER_ID,
  STOCK_SOURCE,
} from '@simple-securities/contracts';
import { FundsClient } from '@simple-securities/funds-client';
import {
  type PeriodicTask,
  PostgresEventStore,
  type SqlDatabase,
  startPeriodicTask,
} from '@simple-securities/postgres';
import type { Logger } from '@simple-securities/service-kit';
import { type Clock, DomainError } from '@simple-securities/shared-kernel';
import {
  amendOrder,
  cancelOrder,
  exactDecimal,
  type Instrument,
  type LastPrices,
  LiquidityProvider,
  type LiquidityProviderDependencies,
  type MarketSession,
  OrderBookDesk,
  placeOrder,
  type SpotDesks,
} from '@simple-securities/trading';
import { grpcFunds } from '../grpc/grpc-funds.js';
import { postgresOrderBookJournal } from '../postgres/postgres-order-book-journal.js';
import { type OrderList, postgresOrderList } from '../postgres/postgres-order-list.js';
import type { TradingSchema } from '../postgres/trading-schema.js';
import { type RunningMarketSide, startMarketSide } from '../start-market-side.js';
import type { LiquidityProviderConfig } from './order-entry-config.js';
import { OrderUpdates } from './order-updates.js';
import { timerScheduleAt } from './schedule-at.js';

/** The context each schema belongs to, as its order and trade events name their source. */
const SOURCE_OF: Readonly<Record<TradingSchema, string>> = {
  crypto: CRYPTO_SOURCE,
  stock: STOCK_SOURCE,
};

export interface OrderEntryOptions {
  /** The context's schema, which holds its orders read model and its market side. */
  readonly schema: TradingSchema;
  readonly instruments: readonly Instrument[];
  /** When each instrument's market takes orders and closes. */
  readonly sessionOf: (symbol: string) => MarketSession;
  /** Maker and taker fee rates, decimal fractions such as "0.001". */
  readonly fees: { readonly maker: string; readonly taker: string };
  /** Prices that value the context's portfolios: its market data's last prices. */
  readonly lastPrices: LastPrices;
  /** core's gRPC funds service, and the token that service asks for. */
  readonly funds: { readonly address: string; readonly internalToken: string };
  /** Whether and how the liquidity provider quotes the context's books (ADR 0027). */
  readonly liquidityProvider: LiquidityProviderConfig;
  readonly database: SqlDatabase;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** The order write path of a trading context, as its resolvers use it. */
export interface OrderEntry {
  readonly place: ReturnType<typeof placeOrder>;
  readonly cancel: ReturnType<typeof cancelOrder>;
  readonly amend: ReturnType<typeof amendOrder>;
  readonly orders: OrderList;
  readonly updates: OrderUpdates;
}

/** A context's open order entry: its write path, and the read side its books keep. */
export interface OpenOrderEntry {
  readonly orderEntry: OrderEntry;
  /** What the market-side resolvers read (ADR 0025). */
  readonly marketSide: RunningMarketSide['queries'];
  stop(): Promise<void>;
}

/**
 * Opens one desk (single writer, ADR 0018) per listed instrument of a trading context,
 * each recovered from its stream and settling through core's funds service, and the
 * place, cancel and amend use cases over them. Every append also keeps the context's
 * market side (book levels, tape, fills, positions, order and trade events; ADR 0025)
 * in its transaction. Crypto and stock differ only in the options: their schema,
 * instruments, sessions, fees and prices.
 */
export const openOrderEntry = async (options: OrderEntryOptions): Promise<OpenOrderEntry> => {
  const { schema, database, clock, logger } = options;
  const normalised = (symbol: string) => symbol.trim().toUpperCase();
  const instruments = new Map(options.instruments.map((i) => [i.symbol, i]));
  const instrumentOf = (symbol: string) => {
    const instrument = instruments.get(normalised(symbol));
    if (!instrument)
      throw new DomainError('BAD_USER_INPUT', `Unknown symbol "${symbol}".`, { symbol });
    return instrument;
  };
  const fees = { maker: exactDecimal(options.fees.maker), taker: exactDecimal(options.fees.taker) };
  const marketSide = startMarketSide({
    database,
    logger,
    schema,
    listedSymbol: (symbol) => instrumentOf(symbol).symbol,
    lastPrices: options.lastPrices,
  });
  const fundsClient = new FundsClient(options.funds);
  const journal = postgresOrderBookJournal(
    schema,
    database,
    new PostgresEventStore(database, { logger }),
    instrumentOf,
    { projections: [marketSide.projection({ fees, source: SOURCE_OF[schema] })], clock },
  );
  const orders = postgresOrderList(database, schema);
  const updates = new OrderUpdates(orders, logger);
  const desks = new Map<string, OrderBookDesk>();
  const closeDesks = async () => {
    for (const desk of desks.values()) await desk.close();
    fundsClient.close();
    await marketSide.stop();
  };
  try {
    for (const instrument of instruments.values())
      desks.set(
        instrument.symbol,
        await OrderBookDesk.open({
          instrument,
          funds: grpcFunds(fundsClient),
          journal,
          fees,
          clock,
          session: options.sessionOf(instrument.symbol),
          scheduleAt: timerScheduleAt,
          logger,
          ordersChanged: updates.changed,
        }),
      );
  } catch (error) {
    await closeDesks();
    throw error;
  }
  const spotDesks: SpotDesks = {
    desk: (symbol) => {
      const desk = desks.get(instrumentOf(symbol).symbol);
      if (!desk) throw new Error(`no desk for the listed ${symbol}`);
      return desk;
    },
  };
  const place = placeOrder({ desks: spotDesks, orders, newOrderId: () => crypto.randomUUID() });
  const cancel = cancelOrder({ desks: spotDesks, orders });
  const quoting = startLiquidityProvider(options, {
    desks: spotDesks,
    symbols: [...desks.keys()],
    place,
    cancel,
  });
  return {
    orderEntry: {
      place,
      cancel,
      amend: amendOrder({ desks: spotDesks, orders }),
      orders,
      updates,
    },
    marketSide: marketSide.queries,
    async stop() {
      await quoting?.stop();
      await closeDesks();
    },
  };
};

/**
 * Runs the liquidity provider over the context's books, when enabled: one pass right
 * away, then one per interval, never two at once.
 */
const startLiquidityProvider = (
  options: OrderEntryOptions,
  books: Pick<LiquidityProviderDependencies, 'desks' | 'symbols' | 'place' | 'cancel'>,
): PeriodicTask | undefined => {
  const settings = options.liquidityProvider;
  if (!settings.LIQUIDITY_PROVIDER_ENABLED) return undefined;
  const logger = options.logger.child({ component: 'liquidity-provider' });
  const provider = new LiquidityProvider({
    ...books,
    userId: LIQUIDITY_PROVIDER_USER_ID,
    lastPrices: options.lastPrices,
    sessionOf: options.sessionOf,
    policy: {
      levels: settings.LIQUIDITY_PROVIDER_LEVELS,
      spreadBps: settings.LIQUIDITY_PROVIDER_SPREAD_BPS,
      levelSpacingBps: settings.LIQUIDITY_PROVIDER_LEVEL_SPACING_BPS,
      levelNotional: settings.LIQUIDITY_PROVIDER_LEVEL_NOTIONAL,
    },
    requoteBps: settings.LIQUIDITY_PROVIDER_REQUOTE_BPS,
    newClientOrderId: () => `liquidity-${crypto.randomUUID()}`,
    clock: options.clock,
    logger,
  });
  const task = startPeriodicTask({
    name: `${options.schema} liquidity provider`,
    intervalMs: settings.LIQUIDITY_PROVIDER_INTERVAL_MS,
    logger,
    run: (signal) => provider.quoteAll(signal),
  });
  void task.runNow();
  logger.info(
    { books: books.symbols.length, userId: LIQUIDITY_PROVIDER_USER_ID },
    `the liquidity provider quotes ${books.symbols.length} ${options.schema} books`,
  );
  return task;
};
