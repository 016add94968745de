import type { SqlExecutor } from '@simple-securities/postgres';
import {
  exactNotional,
  formatUnits,
  type Instrument,
  priceText,
  quantityText,
  type SpotBookEvent,
} from '@simple-securities/trading';
import type { TradingSchema } from './trading-schema.js';

/** Each order type as the read models and the published language name it. */
export const ORDER_TYPE_NAMES = {
  limit: 'LIMIT',
  market: 'MARKET',
  stop: 'STOP',
  'stop-limit': 'STOP_LIMIT',
} as const;

/**
 * Keeps `<schema>.orders` (the read model behind a context's order queries) in step
 * with a spot book's events, inside the transaction that appends them.
 */
export const projectSpotOrders = async (
  tx: SqlExecutor,
  schema: TradingSchema,
  instrument: Instrument,
  events: readonly SpotBookEvent[],
): Promise<void> => {
  const setStatus = (orderId: string, status: string) =>
    tx.query(`UPDATE ${schema}.orders SET status = $2 WHERE id = $1`, [orderId, status]);
  for (const event of events) {
    switch (event.type) {
      case 'SpotOrderPlaced':
        await tx.query(
          `INSERT INTO ${schema}.orders (id, user_id, client_order_id, symbol, side, type, status,
             time_in_force, quantity, filled_quantity, price, stop_price, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'NEW', $7, $8, $9, $10, $11, $12)`,
          [
            event.orderId,
            event.userId,
            event.clientOrderId,
            event.symbol,
            event.side === 'buy' ? 'BUY' : 'SELL',
            ORDER_TYPE_NAMES[event.orderType],
            event.timeInForce,
            quantityText(instrument, event.quantity),
            quantityText(instrument, 0),
            event.price === null ? null : priceText(instrument, event.price),
            event.stopPrice ? priceText(instrument, event.stopPrice) : null,
            event.placedAt,
          ],
        );
        break;
      case 'TradeExecuted': {
        const notional = exactNotional(instrument, event.price, event.quantity);
        // The notional in quote, exactly: its denominator is a power of ten.
        const decimals = instrument.quoteScale + notional.denominator.toString().length - 1;
        for (const orderId of [event.makerOrderId, event.takerOrderId])
          await tx.query(
            `UPDATE ${schema}.orders
                SET filled_quantity = filled_quantity + $2::numeric,
                    filled_notional = filled_notional + $3::numeric,
                    average_price = round((filled_notional + $3::numeric)
                                          / (filled_quantity + $2::numeric), $4::int),
                    status = CASE WHEN filled_quantity + $2::numeric >= quantity
                                  THEN 'FILLED' ELSE 'PARTIALLY_FILLED' END
              WHERE id = $1`,
            [
              orderId,
              quantityText(instrument, event.quantity),
              formatUnits(notional.numerator, decimals),
              instrument.tick.scale,
            ],
          );
        break;
      }
      case 'OrderCancelled':
        await setStatus(
          event.orderId,
          event.reason === 'NOT_IMMEDIATELY_FILLED' ? 'EXPIRED' : 'CANCELED',
        );
        break;
      case 'OrderExpired':
        await setStatus(event.orderId, 'EXPIRED');
        break;
      case 'CommandRejected':
        if (event.command === 'PlaceOrder') await setStatus(event.orderId, 'REJECTED');
        break;
      case 'OrderAmended':
        await tx.query(`UPDATE ${schema}.orders SET quantity = $2, price = $3 WHERE id = $1`, [
          event.orderId,
          quantityText(instrument, event.quantity),
          priceText(instrument, event.price),
        ]);
        break;
      default:
        // Accepted and triggered orders, and their funds, look the same in the list.
        break;
    }
  }
};
