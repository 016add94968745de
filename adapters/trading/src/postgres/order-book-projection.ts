import type { SqlExecutor } from '@simple-securities/postgres';
import { priceText, quantityText } from '@simple-securities/trading';
import type { BookBatch } from './book-batch.js';
import type { TradingSchema } from './trading-schema.js';

/**
 * Keeps `<schema>.book_orders` (every open priced order, and whether it rests) and
 * `<schema>.books` (the book's sequence) in step with a book's events. The price levels
 * are sums over the resting orders, so they are always exactly what the orders add up to.
 */
export const projectOrderBook = async (
  tx: SqlExecutor,
  schema: TradingSchema,
  { instrument, events, firstVersion, recordedAt }: BookBatch,
): Promise<void> => {
  const remove = (orderId: string) =>
    tx.query(`DELETE FROM ${schema}.book_orders WHERE order_id = $1`, [orderId]);
  for (const event of events) {
    switch (event.type) {
      case 'OrderAccepted':
        if (event.price !== null)
          await tx.query(
            `INSERT INTO ${schema}.book_orders (order_id, symbol, side, price, quantity, resting)
             VALUES ($1, $2, $3, $4, $5, $6)`,
            [
              event.orderId,
              instrument.symbol,
              event.side,
              priceText(instrument, event.price),
              quantityText(instrument, event.quantity),
              event.orderType === 'limit',
            ],
          );
        break;
      case 'OrderTriggered':
        await tx.query(`UPDATE ${schema}.book_orders SET resting = true WHERE order_id = $1`, [
          event.orderId,
        ]);
        break;
      case 'TradeExecuted': {
        const both = [event.makerOrderId, event.takerOrderId];
        await tx.query(
          `UPDATE ${schema}.book_orders SET filled = filled + $2::numeric
            WHERE order_id = ANY($1::text[])`,
          [both, quantityText(instrument, event.quantity)],
        );
        await tx.query(
          `DELETE FROM ${schema}.book_orders WHERE order_id = ANY($1::text[]) AND filled >= quantity`,
          [both],
        );
        break;
      }
      case 'OrderAmended':
        await tx.query(
          `UPDATE ${schema}.book_orders SET price = $2, quantity = $3 WHERE order_id = $1`,
          [
            event.orderId,
            priceText(instrument, event.price),
            quantityText(instrument, event.quantity),
          ],
        );
        break;
      case 'OrderCancelled':
      case 'OrderExpired':
        await remove(event.orderId);
        break;
      default:
        // Placements and rejections change no level.
        break;
    }
  }
  await tx.query(
    `INSERT INTO ${schema}.books (symbol, sequence, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (symbol) DO UPDATE SET sequence = excluded.sequence, updated_at = excluded.updated_at`,
    [instrument.symbol, firstVersion + events.length - 1, recordedAt],
  );
};
