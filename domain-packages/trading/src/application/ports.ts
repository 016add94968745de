import type { SpotBookEvent } from './spot-order.js';

/**
 * Core's funds, as trading needs them. Amounts are decimal strings at the asset's scale;
 * every call is idempotent by its id. `reserve` fails with INSUFFICIENT_FUNDS.
 */
export interface FundsPort {
  reserve(request: {
    userId: string;
    asset: string;
    amount: string;
    reservationId: string;
  }): Promise<void>;
  release(request: { reservationId: string; amount: string; releaseId: string }): Promise<void>;
  settle(request: {
    settlementId: string;
    debits: { reservationId: string; amount: string }[];
    credits: { userId: string; asset: string; amount: string }[];
    fees: { reservationId: string; amount: string }[];
  }): Promise<void>;
}

/** One order book's event stream; appending also updates the orders read model, atomically. */
export interface OrderBookJournal {
  /**
   * The whole stream, oldest first, its version, how many events the last append wrote,
   * and the first version whose settlements or give-backs core may still owe, as last
   * recorded (undefined: none recorded).
   */
  load(symbol: string): Promise<{
    events: SpotBookEvent[];
    version: number;
    lastCommandEvents: number;
    unsettledFrom: number | undefined;
  }>;
  /** Records the first version core may still owe money movements for; undefined: none. */
  recordUnsettled(symbol: string, unsettledFrom: number | undefined): Promise<void>;
  /** Throws when the stream moved past `expectedVersion` (another writer) or a client order id repeats. */
  append(symbol: string, events: readonly SpotBookEvent[], expectedVersion: number): Promise<void>;
}

/** When a book's market takes orders, and when its DAY orders end. */
export interface MarketSession {
  /** Whether orders are taken at this instant; MARKET_CLOSED otherwise. */
  isOpen(at: Date): boolean;
  /**
   * The first session close after `at` (the current session's while it is open), when DAY
   * orders expire; undefined for a market that never closes, which refuses DAY orders.
   */
  nextCloseAfter(at: Date): Date | undefined;
}

/** A market that trades around the clock, as crypto does. */
export const aroundTheClock: MarketSession = {
  isOpen: () => true,
  nextCloseAfter: () => undefined,
};

/** Runs work at an instant; the answer cancels it. */
export type ScheduleAt = (at: Date, work: () => Promise<void>) => () => void;

/** A spot order as the read model shows it. */
export interface SpotOrderView {
  readonly id: string;
  readonly userId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';
  readonly status: SpotOrderStatus;
  readonly timeInForce: string;
  readonly quantity: string;
  readonly filledQuantity: string;
  readonly averagePrice: string | null;
  readonly price: string | null;
  readonly stopPrice: string | null;
  readonly createdAt: Date;
}

export type SpotOrderStatus =
  'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';

/** Reads single orders from the read model. */
export interface SpotOrderLookup {
  byId(orderId: string): Promise<SpotOrderView | undefined>;
  byClientOrderId(userId: string, clientOrderId: string): Promise<SpotOrderView | undefined>;
}
