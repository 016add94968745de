import { FundsClient } from '@simple-securities/funds-client';
import { PostgresEventStore, type SqlDatabase } from '@simple-securities/postgres';
import type { Logger } from '@simple-securities/service-kit';
import { type Clock, DomainError } from '@simple-securities/shared-kernel';
import {
  amendOrder,
  cancelOrder,
  exactDecimal,
  type Instrument,
  type MarketSession,
  OrderBookDesk,
  placeOrder,
  type SpotDesks,
} from '@simple-securities/trading';
import { grpcFunds } from '../grpc/grpc-funds.js';
import { postgresOrderBookJournal } from '../postgres/postgres-order-book-journal.js';
import { type OrderList, postgresOrderList } from '../postgres/postgres-order-list.js';
import type { TradingSchema } from '../postgres/spot-order-projection.js';
import { OrderUpdates } from './order-updates.js';
import { timerScheduleAt } from './schedule-at.js';

export interface OrderEntryOptions {
  /** The context's schema, which holds its orders read model. */
  readonly schema: TradingSchema;
  readonly instruments: readonly Instrument[];
  /** When each instrument's market takes orders and closes. */
  readonly sessionOf: (symbol: string) => MarketSession;
  /** Maker and taker fee rates, decimal fractions such as "0.001". */
  readonly fees: { readonly maker: string; readonly taker: string };
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

/**
 * Opens one desk (single writer, ADR 0018) per listed instrument of a trading context,
 * each recovered from its stream and settling through core's funds service, and the
 * place, cancel and amend use cases over them. Crypto and stock differ only in the
 * options: their schema, instruments, sessions and fees.
 */
export const openOrderEntry = async (
  options: OrderEntryOptions,
): Promise<{ orderEntry: OrderEntry; stop(): Promise<void> }> => {
  const { schema, database, clock, logger } = options;
  const normalised = (symbol: string) => symbol.trim().toUpperCase();
  const instruments = new Map(options.instruments.map((i) => [i.symbol, i]));
  const instrumentOf = (symbol: string) => {
    const instrument = instruments.get(normalised(symbol));
    if (!instrument)
      throw new DomainError('BAD_USER_INPUT', `Unknown symbol "${symbol}".`, { symbol });
    return instrument;
  };
  const fundsClient = new FundsClient(options.funds);
  const journal = postgresOrderBookJournal(
    schema,
    database,
    new PostgresEventStore(database, { logger }),
    instrumentOf,
  );
  const orders = postgresOrderList(database, schema);
  const updates = new OrderUpdates(orders, logger);
  const fees = { maker: exactDecimal(options.fees.maker), taker: exactDecimal(options.fees.taker) };
  const desks = new Map<string, OrderBookDesk>();
  const closeDesks = async () => {
    for (const desk of desks.values()) await desk.close();
    fundsClient.close();
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
    stop: closeDesks,
  };
};
