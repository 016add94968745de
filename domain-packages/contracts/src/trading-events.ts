import { z } from 'zod';

/**
 * The published language of the trading contexts (crypto and stock): what happened to
 * an order, for other contexts to react to. `source` is the publishing context
 * (`/crypto` or `/stock`) and `subject` the order id, so one order's events stay in
 * order. Quantities and prices are decimal strings, never JSON numbers.
 */
export const ORDER_ACCEPTED = 'trading.order.accepted.v1';
export const ORDER_PARTIALLY_FILLED = 'trading.order.partially-filled.v1';
export const ORDER_FILLED = 'trading.order.filled.v1';
export const ORDER_CANCELLED = 'trading.order.cancelled.v1';
export const ORDER_REJECTED = 'trading.order.rejected.v1';
export const ORDER_AMENDED = 'trading.order.amended.v1';
export const ORDER_TRIGGERED = 'trading.order.triggered.v1';
/** One match between two orders, for the market's tape; `subject` is the symbol. */
export const TRADE_EXECUTED = 'trading.trade.executed.v1';

export const CRYPTO_SOURCE = '/crypto';
export const STOCK_SOURCE = '/stock';

const decimal = z.string().regex(/^\d+(\.\d+)?$/, 'an unsigned decimal string');

/** What every order event says about the order it is about. */
const orderV1 = z.object({
  orderId: z.string().min(1),
  clientOrderId: z.string().min(1),
  userId: z.string().min(1),
  /** The instrument, e.g. `BTC-USDT` or `AAPL`. */
  symbol: z.string().min(1),
  side: z.enum(['BUY', 'SELL']),
  /** A stop order takes as a market (STOP) or limit (STOP_LIMIT) order once triggered. */
  type: z.enum(['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT']),
  /** The quantity ordered, in the instrument's lots. */
  quantity: decimal,
  /** The limit price; null for a market order. */
  price: decimal.nullable(),
  /** ISO-8601 UTC. */
  occurredAt: z.iso.datetime(),
});

export const orderAcceptedV1 = orderV1;
export type OrderAcceptedV1 = z.infer<typeof orderAcceptedV1>;

/** One execution against the order. */
const fillV1 = z.object({
  tradeId: z.string().min(1),
  quantity: decimal,
  price: decimal,
});

const orderFillV1 = orderV1.extend({
  fill: fillV1,
  /** Everything filled so far, this fill included. */
  filledQuantity: decimal,
  remainingQuantity: decimal,
  averagePrice: decimal,
});

export const orderPartiallyFilledV1 = orderFillV1;
export type OrderPartiallyFilledV1 = z.infer<typeof orderPartiallyFilledV1>;

/** The last fill: nothing remains. */
export const orderFilledV1 = orderFillV1;
export type OrderFilledV1 = z.infer<typeof orderFilledV1>;

export const orderCancelledV1 = orderV1.extend({
  filledQuantity: decimal,
  /** What will never be filled. */
  remainingQuantity: decimal,
  /** Who or what ended it. */
  reason: z.enum([
    'USER_REQUESTED',
    'EXPIRED',
    'MARKET_CLOSED',
    'NO_LIQUIDITY',
    'SELF_TRADE_PREVENTED',
  ]),
});
export type OrderCancelledV1 = z.infer<typeof orderCancelledV1>;

export const orderRejectedV1 = orderV1.extend({
  /** A stable code, as the GraphQL error would carry it. */
  code: z.string().min(1),
  /** Why, in words the user can act on. */
  reason: z.string().min(1),
});
export type OrderRejectedV1 = z.infer<typeof orderRejectedV1>;

/** A resting limit order's quantity or price changed; `quantity` and `price` are the new ones. */
export const orderAmendedV1 = orderV1.extend({
  previousQuantity: decimal,
  previousPrice: decimal.nullable(),
  filledQuantity: decimal,
  /** What is still open at the new quantity. */
  remainingQuantity: decimal,
});
export type OrderAmendedV1 = z.infer<typeof orderAmendedV1>;

/**
 * A stop order's trigger was reached: from now on it takes as a market (STOP) or limit
 * (STOP_LIMIT) order. Its fills, if any, follow as fill events.
 */
export const orderTriggeredV1 = orderV1.extend({
  stopPrice: decimal,
  /** The trade price that reached the trigger. */
  lastTradePrice: decimal,
});
export type OrderTriggeredV1 = z.infer<typeof orderTriggeredV1>;

/** One side of a trade: the order, its owner and the fee they paid. */
const tradePartyV1 = z.object({
  orderId: z.string().min(1),
  userId: z.string().min(1),
  /** In `feeAsset`. */
  fee: decimal,
});

export const tradeExecutedV1 = z.object({
  /** Unique per trade, e.g. `BTC-USDT:42` (the symbol and its book's stream version). */
  tradeId: z.string().min(1),
  symbol: z.string().min(1),
  /** Always the resting (maker) order's price. */
  price: decimal,
  quantity: decimal,
  /** The side of the order that took liquidity. */
  takerSide: z.enum(['BUY', 'SELL']),
  maker: tradePartyV1,
  taker: tradePartyV1,
  /** Both fees are paid in the instrument's quote asset. */
  feeAsset: z.string().min(1),
  /** ISO-8601 UTC. */
  occurredAt: z.iso.datetime(),
});
export type TradeExecutedV1 = z.infer<typeof tradeExecutedV1>;
