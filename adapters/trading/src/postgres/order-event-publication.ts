import {
  ORDER_ACCEPTED,
  ORDER_AMENDED,
  ORDER_CANCELLED,
  ORDER_FILLED,
  ORDER_PARTIALLY_FILLED,
  ORDER_REJECTED,
  ORDER_TRIGGERED,
  type OrderAcceptedV1,
  orderAcceptedV1,
  orderAmendedV1,
  orderCancelledV1,
  orderFilledV1,
  orderPartiallyFilledV1,
  orderRejectedV1,
  orderTriggeredV1,
  TRADE_EXECUTED,
  tradeExecutedV1,
} from '@simple-securities/contracts';
import { type IntegrationEvent, integrationEvent } from '@simple-securities/event-sourcing';
import { postgresOutbox, type SqlExecutor } from '@simple-securities/postgres';
import {
  type CancelReason,
  dividedBy,
  type FeeSchedule,
  minus,
  plus,
  priceText,
  quantityText,
  type RejectionReason,
  roundedTo,
  type SignedDecimal,
  signedDecimal,
  signedDecimalText,
  type SpotOrderPlaced,
  times,
  ZERO,
} from '@simple-securities/trading';
import { type BookBatch, versioned } from './book-batch.js';
import { ORDER_TYPE_NAMES } from './spot-order-projection.js';
import { sidesOf } from './trade-projection.js';
import type { TradingSchema } from './trading-schema.js';

/** An order as its events describe it, followed through the batch fill by fill. */
interface OrderSoFar {
  /** Replaced when an amendment changes its quantity or price. */
  order: Omit<OrderAcceptedV1, 'occurredAt'>;
  readonly stopPrice: string | null;
  filled: SignedDecimal;
  filledNotional: SignedDecimal;
}

interface OrderRow {
  id: string;
  client_order_id: string;
  user_id: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  type: OrderAcceptedV1['type'];
  quantity: string;
  price: string | null;
  stop_price: string | null;
  filled_quantity: string;
  filled_notional: string;
}

const CANCEL_REASONS: Readonly<
  Record<CancelReason, 'USER_REQUESTED' | 'NO_LIQUIDITY' | 'SELF_TRADE_PREVENTED'>
> = {
  CANCELLED_BY_REQUEST: 'USER_REQUESTED',
  NOT_IMMEDIATELY_FILLED: 'NO_LIQUIDITY',
  FILL_OR_KILL_NOT_FILLABLE: 'NO_LIQUIDITY',
  SELF_TRADE_PREVENTED: 'SELF_TRADE_PREVENTED',
};

/** The code a rejected order's user would have seen as a GraphQL error. */
const rejectionCode = (reason: RejectionReason) =>
  reason === 'DUPLICATE_ORDER_ID' ? 'CONFLICT' : 'BAD_USER_INPUT';

const placedOrder = (placed: SpotOrderPlaced, batch: BookBatch): OrderSoFar => ({
  order: {
    orderId: placed.orderId,
    clientOrderId: placed.clientOrderId,
    userId: placed.userId,
    symbol: placed.symbol,
    side: placed.side === 'buy' ? 'BUY' : 'SELL',
    type: ORDER_TYPE_NAMES[placed.orderType],
    quantity: quantityText(batch.instrument, placed.quantity),
    price: placed.price === null ? null : priceText(batch.instrument, placed.price),
  },
  stopPrice: placed.stopPrice ? priceText(batch.instrument, placed.stopPrice) : null,
  filled: ZERO,
  filledNotional: ZERO,
});

const recordedOrder = (row: OrderRow): OrderSoFar => ({
  order: {
    orderId: row.id,
    clientOrderId: row.client_order_id,
    userId: row.user_id,
    symbol: row.symbol,
    side: row.side,
    type: row.type,
    quantity: row.quantity,
    price: row.price,
  },
  stopPrice: row.stop_price,
  filled: signedDecimal(row.filled_quantity),
  filledNotional: signedDecimal(row.filled_notional),
});

/**
 * Publishes what a batch did to its orders and the trades it made, in the published
 * language (`contracts`), through the outbox: the events commit with the append or not
 * at all (ADR 0005). Orders the batch did not place are read as the orders list held
 * them before the batch, then followed fill by fill, so each fill event carries the
 * totals as of that fill.
 */
export const publishOrderEvents = async (
  tx: SqlExecutor,
  schema: TradingSchema,
  batch: BookBatch,
  { fees, source }: { readonly fees: FeeSchedule; readonly source: string },
): Promise<void> => {
  const { instrument } = batch;
  const occurredAt = batch.recordedAt.toISOString();
  const orders = new Map<string, OrderSoFar>();
  for (const event of batch.events)
    if (event.type === 'SpotOrderPlaced') orders.set(event.orderId, placedOrder(event, batch));
  const earlier = new Set(
    batch.events.flatMap((event) =>
      event.type === 'TradeExecuted'
        ? [event.makerOrderId, event.takerOrderId]
        : 'orderId' in event
          ? [event.orderId]
          : [],
    ),
  );
  for (const id of orders.keys()) earlier.delete(id);
  if (earlier.size > 0) {
    const { rows } = await tx.query<OrderRow>(
      `SELECT id, client_order_id, user_id, symbol, side, type, quantity::text, price::text,
              stop_price::text, filled_quantity::text, filled_notional::text
         FROM ${schema}.orders WHERE id = ANY($1::text[])`,
      [[...earlier]],
    );
    for (const row of rows) orders.set(row.id, recordedOrder(row));
  }

  const published: IntegrationEvent[] = [];
  const publish = (type: string, subject: string, data: unknown) =>
    published.push(integrationEvent({ type, source, subject, data, time: batch.recordedAt }));
  const about = (orderId: string) => orders.get(orderId);
  const quantityOf = (value: SignedDecimal) =>
    signedDecimalText(roundedTo(value, instrument.lot.scale));

  for (const { event, version } of versioned(batch)) {
    switch (event.type) {
      case 'OrderAccepted': {
        const known = about(event.orderId);
        if (known)
          publish(
            ORDER_ACCEPTED,
            event.orderId,
            orderAcceptedV1.parse({ ...known.order, occurredAt }),
          );
        break;
      }
      case 'CommandRejected': {
        const known = about(event.orderId);
        if (event.command === 'PlaceOrder' && known)
          publish(
            ORDER_REJECTED,
            event.orderId,
            orderRejectedV1.parse({
              ...known.order,
              occurredAt,
              code: rejectionCode(event.reason),
              reason: event.detail,
            }),
          );
        break;
      }
      case 'TradeExecuted': {
        const tradeId = `${instrument.symbol}:${version}`;
        const price = priceText(instrument, event.price);
        const quantity = quantityText(instrument, event.quantity);
        const [maker, taker] = sidesOf(instrument, event, fees);
        publish(
          TRADE_EXECUTED,
          instrument.symbol,
          tradeExecutedV1.parse({
            tradeId,
            symbol: instrument.symbol,
            price,
            quantity,
            takerSide: event.takerSide === 'buy' ? 'BUY' : 'SELL',
            maker: { orderId: maker.orderId, userId: maker.userId, fee: maker.fee },
            taker: { orderId: taker.orderId, userId: taker.userId, fee: taker.fee },
            feeAsset: instrument.quoteAsset,
            occurredAt,
          }),
        );
        for (const orderId of [event.makerOrderId, event.takerOrderId]) {
          const known = about(orderId);
          if (!known) continue;
          known.filled = plus(known.filled, signedDecimal(quantity));
          known.filledNotional = plus(
            known.filledNotional,
            times(signedDecimal(price), signedDecimal(quantity)),
          );
          const remaining = minus(signedDecimal(known.order.quantity), known.filled);
          const complete = remaining.units <= 0n;
          const data = {
            ...known.order,
            occurredAt,
            fill: { tradeId, quantity, price },
            filledQuantity: quantityOf(known.filled),
            remainingQuantity: quantityOf(complete ? ZERO : remaining),
            averagePrice: signedDecimalText(
              dividedBy(known.filledNotional, known.filled, instrument.tick.scale),
            ),
          };
          publish(
            complete ? ORDER_FILLED : ORDER_PARTIALLY_FILLED,
            orderId,
            (complete ? orderFilledV1 : orderPartiallyFilledV1).parse(data),
          );
        }
        break;
      }
      case 'OrderCancelled':
      case 'OrderExpired': {
        const known = about(event.orderId);
        if (known)
          publish(
            ORDER_CANCELLED,
            event.orderId,
            orderCancelledV1.parse({
              ...known.order,
              occurredAt,
              filledQuantity: quantityOf(known.filled),
              remainingQuantity: quantityText(instrument, event.quantity),
              reason: event.type === 'OrderExpired' ? 'EXPIRED' : CANCEL_REASONS[event.reason],
            }),
          );
        break;
      }
      case 'OrderAmended': {
        const known = about(event.orderId);
        if (!known) break;
        const previous = known.order;
        known.order = {
          ...previous,
          quantity: quantityText(instrument, event.quantity),
          price: priceText(instrument, event.price),
        };
        const remaining = minus(signedDecimal(known.order.quantity), known.filled);
        publish(
          ORDER_AMENDED,
          event.orderId,
          orderAmendedV1.parse({
            ...known.order,
            occurredAt,
            previousQuantity: previous.quantity,
            previousPrice: previous.price,
            filledQuantity: quantityOf(known.filled),
            remainingQuantity: quantityOf(remaining.units <= 0n ? ZERO : remaining),
          }),
        );
        break;
      }
      case 'OrderTriggered': {
        const known = about(event.orderId);
        if (known?.stopPrice)
          publish(
            ORDER_TRIGGERED,
            event.orderId,
            orderTriggeredV1.parse({
              ...known.order,
              occurredAt,
              stopPrice: known.stopPrice,
              lastTradePrice: priceText(instrument, event.lastTradePrice),
            }),
          );
        break;
      }
      default:
        // A placement is published as its acceptance; funds held and given back stay inside.
        break;
    }
  }
  if (published.length > 0) await postgresOutbox.enqueue(tx, published);
};
