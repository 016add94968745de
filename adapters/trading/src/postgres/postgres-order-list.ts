import {
  DomainError,
  MAX_PAGE_SIZE,
  type Page,
  type PageRequest,
} from '@simple-securities/shared-kernel';
import type { SqlExecutor } from '@simple-securities/postgres';

/** A user's order as the orders read model lists it. */
export interface OrderSummary {
  readonly id: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: 'MARKET' | 'LIMIT';
  readonly status: string;
  readonly quantity: string;
  readonly price: string | null;
  readonly createdAt: Date;
}

interface OrderRow {
  id: string;
  client_order_id: string;
  symbol: string;
  side: OrderSummary['side'];
  type: OrderSummary['type'];
  status: string;
  quantity: string;
  price: string | null;
  created_at: Date;
}

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

/** A user's orders in one trading context, newest first. */
export interface OrderList {
  listUserOrders(userId: string, page: PageRequest): Promise<Page<OrderSummary>>;
}

/**
 * The `orders` read model in a trading context's own schema (`crypto`, `stock`).
 * The trading features fill that table; until then every user's list is empty.
 */
export const postgresOrderList = (db: SqlExecutor, schema: 'crypto' | 'stock'): OrderList => ({
  async listUserOrders(userId, { first, after }) {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw new DomainError('BAD_USER_INPUT', `"first" must be between 1 and ${MAX_PAGE_SIZE}.`);
    }
    const [afterCreatedAt, afterId] = after ? positionOf(after) : [null, null];
    const { rows } = await db.query<OrderRow>(
      `SELECT id, client_order_id, symbol, side, type, status, quantity, price, created_at
         FROM ${schema}.orders
        WHERE user_id = $1
          AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::text))
        ORDER BY created_at DESC, id DESC
        LIMIT $4`,
      [userId, afterCreatedAt, afterId, first + 1],
    );
    const orders = rows.slice(0, first).map((row): OrderSummary => ({
      id: row.id,
      clientOrderId: row.client_order_id,
      symbol: row.symbol,
      side: row.side,
      type: row.type,
      status: row.status,
      quantity: row.quantity,
      price: row.price,
      createdAt: new Date(row.created_at),
    }));
    return {
      items: orders.map((node) => ({ node, cursor: cursorOf(node) })),
      hasNextPage: rows.length > first,
    };
  },
});
