import { CRYPTO_SOURCE, STOCK_SOURCE } from '@simple-securities/contracts';
import { FundsClient } from '@simple-securities/funds-client';
import { PostgresEventStore, type SqlDatabase } from '@simple-securities/postgres';
import type { Logger } from '@simple-securities/service-kit';
import { type Clock, DomainError } from '@simple-securities/shared-kernel';
import {
  amendOrder,
  cancelOrder,
  exactDecimal,
  type Instrument,
  type LastPrices,
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
  return {
    orderEntry: {
      place: placeOrder({ desks: spotDesks, orders, newOrderId: () => crypto.randomUUID() }),
      cancel: cancelOrder({ desks: spotDesks, orders }),
      amend: amendOrder({ desks: spotDesks, orders }),
      orders,
      updates,
    },
    marketSide: marketSide.queries,
    stop: closeDesks,
  };
};
