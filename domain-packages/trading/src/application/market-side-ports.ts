import type { Page, PageRequest } from '@simple-securities/shared-kernel';
import type { Position } from '../domain/position.js';

/** All the orders resting at one price, summed. */
export interface PriceLevelView {
  readonly price: string;
  readonly quantity: string;
  readonly orderCount: number;
}

/** A book as its projection holds it: best price first on each side. */
export interface OrderBookView {
  readonly symbol: string;
  readonly bids: readonly PriceLevelView[];
  readonly asks: readonly PriceLevelView[];
  /** The book's stream version this view reflects; 0 before its first event. */
  readonly sequence: number;
  /** Null before the book's first event. */
  readonly updatedAt: Date | null;
}

/** One match on the market's tape: no owner, no fee. */
export interface PublicTradeView {
  readonly id: string;
  readonly symbol: string;
  /** The book's stream version that recorded it: trades of a book in order. */
  readonly sequence: number;
  readonly price: string;
  readonly quantity: string;
  readonly takerSide: 'BUY' | 'SELL';
  readonly time: Date;
}

/** One of a user's own executions: their side of a trade. */
export interface UserFillView {
  readonly tradeId: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly price: string;
  readonly quantity: string;
  readonly fee: string;
  readonly feeAsset: string;
  readonly liquidity: 'MAKER' | 'TAKER';
  readonly time: Date;
}

/** A user's position in one instrument as the projection keeps it (see `applyFill`). */
export interface PositionRecord {
  readonly symbol: string;
  /** The quote asset the position is valued in, and its decimals. */
  readonly currency: string;
  readonly currencyScale: number;
  readonly position: Position;
}

/** The read models of a context's books, trades, fills and positions. */
export interface MarketSideReadModel {
  orderBook(symbol: string, depth: number): Promise<OrderBookView>;
  /** Newest first. */
  recentTrades(symbol: string, count: number): Promise<PublicTradeView[]>;
  /** Trades recorded in a book from stream version `afterSequence` on, oldest first. */
  tradesSince(symbol: string, afterSequence: number): Promise<PublicTradeView[]>;
  /** Newest first. */
  userFills(userId: string, page: PageRequest): Promise<Page<UserFillView>>;
  positions(userId: string): Promise<PositionRecord[]>;
}

/** The last traded price of an instrument, from the context's market data. */
export interface LastPrices {
  lastPrice(symbol: string): Promise<{ readonly price: string; readonly time: Date } | undefined>;
}
