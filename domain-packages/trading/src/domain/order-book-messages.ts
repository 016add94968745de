/**
 * The language of one instrument's order book: the commands its single writer takes and
 * the events it records. Prices are integer ticks and quantities integer lots (safe
 * integers, ADR 0013); converting to decimals is the instrument spec's job.
 */
export type Side = 'buy' | 'sell';
export type OrderType = 'limit' | 'market' | 'stop' | 'stop-limit';
/** DAY orders rest until the caller sends `ExpireDayOrders` at the session close. */
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'DAY';
/** What happens when an order would trade with a resting order of the same account. */
export type SelfTradePrevention = 'cancel-newest' | 'cancel-oldest' | 'cancel-both';

export interface PlaceOrder {
  readonly type: 'PlaceOrder';
  readonly orderId: string;
  readonly accountId: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly quantity: number;
  /** Limit price in ticks: required for limit and stop-limit orders, absent otherwise. */
  readonly price?: number | undefined;
  /** Trigger price in ticks: required for stop and stop-limit orders, absent otherwise. */
  readonly stopPrice?: number | undefined;
  readonly timeInForce: TimeInForce;
  readonly postOnly?: boolean | undefined;
  /** Defaults to cancel-newest: the incoming order gives way. */
  readonly selfTradePrevention?: SelfTradePrevention | undefined;
}

export interface CancelOrder {
  readonly type: 'CancelOrder';
  readonly orderId: string;
}

/**
 * Changes a resting limit order. `quantity` is the new ordered quantity (fills so far
 * included). A new price or a larger quantity sends the order to the back of its level;
 * a smaller quantity keeps its place.
 */
export interface AmendOrder {
  readonly type: 'AmendOrder';
  readonly orderId: string;
  readonly price?: number | undefined;
  readonly quantity?: number | undefined;
}

/** Sent by the caller at the session close; `at` is recorded on each expiry. */
export interface ExpireDayOrders {
  readonly type: 'ExpireDayOrders';
  readonly at: string;
}

export type OrderBookCommand = PlaceOrder | CancelOrder | AmendOrder | ExpireDayOrders;

export interface OrderAccepted {
  readonly type: 'OrderAccepted';
  readonly orderId: string;
  readonly accountId: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly price: number | null;
  readonly stopPrice: number | null;
  readonly timeInForce: TimeInForce;
  readonly postOnly: boolean;
  readonly selfTradePrevention: SelfTradePrevention;
  /** Time priority: lower trades first at the same price. */
  readonly sequence: number;
}

export type RejectionReason =
  | 'INVALID_ORDER'
  | 'DUPLICATE_ORDER_ID'
  | 'UNKNOWN_ORDER'
  | 'POST_ONLY_WOULD_TAKE'
  | 'FILL_OR_KILL_NOT_FILLABLE'
  | 'NOT_AMENDABLE'
  | 'AMEND_BELOW_FILLED'
  | 'NOTHING_TO_AMEND';

/** A command changed nothing; `detail` says why in words. */
export interface CommandRejected {
  readonly type: 'CommandRejected';
  readonly command: Exclude<OrderBookCommand['type'], 'ExpireDayOrders'>;
  readonly orderId: string;
  readonly reason: RejectionReason;
  readonly detail: string;
}

/** A stop order's trigger price was reached by the last trade; it now takes as a market or limit order. */
export interface OrderTriggered {
  readonly type: 'OrderTriggered';
  readonly orderId: string;
  readonly lastTradePrice: number;
  readonly sequence: number;
}

export interface TradeExecuted {
  readonly type: 'TradeExecuted';
  readonly makerOrderId: string;
  readonly makerAccountId: string;
  readonly takerOrderId: string;
  readonly takerAccountId: string;
  readonly takerSide: Side;
  /** Always the maker's price. */
  readonly price: number;
  readonly quantity: number;
}

export type CancelReason =
  | 'CANCELLED_BY_REQUEST'
  | 'NOT_IMMEDIATELY_FILLED'
  | 'SELF_TRADE_PREVENTED'
  | 'FILL_OR_KILL_NOT_FILLABLE';

/** `quantity` is what was left unfilled and is now cancelled. */
export interface OrderCancelled {
  readonly type: 'OrderCancelled';
  readonly orderId: string;
  readonly quantity: number;
  readonly reason: CancelReason;
}

export interface OrderExpired {
  readonly type: 'OrderExpired';
  readonly orderId: string;
  readonly quantity: number;
  readonly at: string;
}

/** `sequence` is new when the amendment cost the order its place, unchanged otherwise. */
export interface OrderAmended {
  readonly type: 'OrderAmended';
  readonly orderId: string;
  readonly price: number;
  readonly quantity: number;
  readonly sequence: number;
}

export type OrderBookEvent =
  | OrderAccepted
  | CommandRejected
  | OrderTriggered
  | TradeExecuted
  | OrderCancelled
  | OrderExpired
  | OrderAmended;
