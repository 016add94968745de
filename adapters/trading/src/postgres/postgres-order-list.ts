import {
  DomainError,
  MAX_PAGE_SIZE,
  type Page,
  type PageRequest,
} from '@simple-securities/shared-kernel';
import type { SqlExecutor } from '@simple-securities/postgres';
import type { TradingSchema } from './trading-schema.js';
import type { SpotOrderLookup, SpotOrderStatus, SpotOrderView } from '@simple-securities/trading';

/** A user's order as the orders read model lists it. */
export type OrderSummary = SpotOrderView;

/** Narrows a user's list; both optional. */
export interface OrderFilter {
  readonly status?: SpotOrderStatus | undefined;
  readonly symbol?: string | undefined;
}

interface OrderRow {
  id: string;
  user_id: string;
  client_order_id: string;
  symbol: string;
  side: OrderSummary['side'];
  type: OrderSummary['type'];
  status: SpotOrderStatus;
  time_in_force: string;
  quantity: string;
  filled_quantity: string;
  average_price: string | null;
  price: string | null;
  stop_price: string | null;
  created_at: Date;
}

const COLUMNS = `id, user_id, client_order_id, symbol, side, type, status, time_in_force,
  quantity::text, filled_quantity::text, average_price::text, price::text,
  stop_price::text, created_at`;

const summaryOf = (row: OrderRow): OrderSummary => ({
  id: row.id,
  userId: row.user_id,
  clientOrderId: row.client_order_id,
  symbol: row.symbol,
  side: row.side,
  type: row.type,
  status: row.status,
  timeInForce: row.time_in_force,
  quantity: row.quantity,
  filledQuantity: row.filled_quantity,
  averagePrice: row.average_price,
  price: row.price,
  stopPrice: row.stop_price,
  createdAt: new Date(row.created_at),
});

const cursorOf = (order: OrderSummary) =>
  Buffer.from(JSON.stringify([order.createdAt.toISOString(), order.id])).toString('base64url');

const positionOf = (cursor: string): [string, string] => {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (
      typeof createdAt === 'string' &&
      typeof id === 'string' &&
      !Number.isNaN(Date.parse(createdAt))
    ) {
      return [createdAt, id];
    }
  } catch {
    // Falls through to the error below.
  }
  throw new DomainError('BAD_USER_INPUT', '"after" is not a cursor this list handed out.');
};

/** A user's orders in one trading context, newest first, and single orders by id. */
export interface OrderList extends SpotOrderLookup {
  listUserOrders(
    userId: string,
    page: PageRequest,
    filter?: OrderFilter,
  ): Promise<Page<OrderSummary>>;
}

/**
 * The `orders` read model in a trading context's own schema (`crypto`, `stock`), kept
 * by that context's order projection.
 */
export const postgresOrderList = (db: SqlExecutor, schema: TradingSchema): OrderList => {
  const one = async (where: string, values: unknown[]) => {
    const { rows } = await db.query<OrderRow>(
      `SELECT ${COLUMNS} FROM ${schema}.orders WHERE ${where}`,
      values,
    );
    const [row] = rows;
    return row ? summaryOf(row) : undefined;
  };
  return {
    byId: (orderId) => one('id = $1', [orderId]),
    byClientOrderId: (userId, clientOrderId) =>
      one('user_id = $1 AND client_order_id = $2', [userId, clientOrderId]),
    async listUserOrders(userId, { first, after }, filter = {}) {
      if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
        throw new DomainError('BAD_USER_INPUT', `"first" must be between 1 and ${MAX_PAGE_SIZE}.`);
      }
      const [afterCreatedAt, afterId] = after ? positionOf(after) : [null, null];
      const { rows } = await db.query<OrderRow>(
        `SELECT ${COLUMNS}
           FROM ${schema}.orders
          WHERE user_id = $1
            AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::text))
            AND ($5::text IS NULL OR status = $5)
            AND ($6::text IS NULL OR symbol = $6)
          ORDER BY created_at DESC, id DESC
          LIMIT $4`,
        [
          userId,
          afterCreatedAt,
          afterId,
          first + 1,
          filter.status ?? null,
          filter.symbol?.trim().toUpperCase() ?? null,
        ],
      );
      const orders = rows.slice(0, first).map(summaryOf);
      return {
        items: orders.map((node) => ({ node, cursor: cursorOf(node) })),
        hasNextPage: rows.length > first,
      };
    },
  };
};
