import type { SqlExecutor } from '@simple-securities/postgres';
import { DomainError } from '@simple-securities/shared-kernel';
import {
  type MarketSideReadModel,
  type PriceLevelView,
  type PublicTradeView,
  signedDecimal,
  type UserFillView,
} from '@simple-securities/trading';
import type { TradingSchema } from './trading-schema.js';

interface BookRow {
  sequence: number | null;
  updated_at: Date | null;
  bids: PriceLevelView[] | string;
  asks: PriceLevelView[] | string;
}

interface TradeRow {
  symbol: string;
  sequence: number;
  price: string;
  quantity: string;
  taker_side: 'buy' | 'sell';
  executed_at: Date;
}

interface FillRow {
  symbol: string;
  sequence: number;
  liquidity: 'MAKER' | 'TAKER';
  order_id: string;
  side: 'buy' | 'sell';
  price: string;
  quantity: string;
  fee: string;
  fee_asset: string;
  executed_at: Date;
}

interface PositionRow {
  symbol: string;
  currency: string;
  currency_scale: number;
  quantity: string;
  cost_basis: string;
  realised_pnl: string;
}

const upper = (side: 'buy' | 'sell') => (side === 'buy' ? 'BUY' : 'SELL');

const tradeOf = (row: TradeRow): PublicTradeView => ({
  id: `${row.symbol}:${row.sequence}`,
  symbol: row.symbol,
  sequence: row.sequence,
  price: row.price,
  quantity: row.quantity,
  takerSide: upper(row.taker_side),
  time: new Date(row.executed_at),
});

const fillOf = (row: FillRow): UserFillView => ({
  tradeId: `${row.symbol}:${row.sequence}`,
  orderId: row.order_id,
  symbol: row.symbol,
  side: upper(row.side),
  price: row.price,
  quantity: row.quantity,
  fee: row.fee,
  feeAsset: row.fee_asset,
  liquidity: row.liquidity,
  time: new Date(row.executed_at),
});

const cursorOf = (fill: UserFillView, sequence: number) =>
  Buffer.from(JSON.stringify([fill.time.toISOString(), fill.symbol, sequence])).toString(
    'base64url',
  );

const positionOf = (cursor: string): [string, string, number] => {
  try {
    const [time, symbol, sequence] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString(),
    ) as unknown[];
    if (
      typeof time === 'string' &&
      !Number.isNaN(Date.parse(time)) &&
      typeof symbol === 'string' &&
      Number.isSafeInteger(sequence)
    )
      return [time, symbol, sequence as number];
  } catch {
    // Falls through to the error below.
  }
  throw new DomainError('BAD_USER_INPUT', '"after" is not a cursor this list handed out.');
};

/** Price levels of one side, best first, as one JSON array (one statement: one snapshot). */
const levels = (schema: TradingSchema, side: 'buy' | 'sell') => {
  const order = side === 'buy' ? 'DESC' : 'ASC';
  return `(SELECT coalesce(json_agg(json_build_object('price', price::text, 'quantity', quantity::text,
                   'orderCount', orders) ORDER BY price ${order}), '[]'::json)
             FROM (SELECT price, sum(quantity - filled) AS quantity, count(*)::int AS orders
                     FROM ${schema}.book_orders
                    WHERE symbol = $1 AND side = '${side}' AND resting
                    GROUP BY price ORDER BY price ${order} LIMIT $2) AS levels)`;
};

const parsedJson = <T>(value: T | string): T =>
  typeof value === 'string' ? (JSON.parse(value) as T) : value;

/** The market side's read models in a trading context's own schema (ADR 0025). */
export const postgresMarketSide = (
  db: SqlExecutor,
  schema: TradingSchema,
): MarketSideReadModel => ({
  async orderBook(symbol, depth) {
    const { rows } = await db.query<BookRow>(
      `SELECT (SELECT sequence FROM ${schema}.books WHERE symbol = $1) AS sequence,
              (SELECT updated_at FROM ${schema}.books WHERE symbol = $1) AS updated_at,
              ${levels(schema, 'buy')} AS bids,
              ${levels(schema, 'sell')} AS asks`,
      [symbol, depth],
    );
    const [row] = rows;
    return {
      symbol,
      bids: row ? parsedJson(row.bids) : [],
      asks: row ? parsedJson(row.asks) : [],
      sequence: row?.sequence ?? 0,
      updatedAt: row?.updated_at ? new Date(row.updated_at) : null,
    };
  },

  async recentTrades(symbol, count) {
    const { rows } = await db.query<TradeRow>(
      `SELECT symbol, sequence, price::text, quantity::text, taker_side, executed_at
         FROM ${schema}.trades WHERE symbol = $1 ORDER BY sequence DESC LIMIT $2`,
      [symbol, count],
    );
    return rows.map(tradeOf);
  },

  async tradesSince(symbol, afterSequence) {
    const { rows } = await db.query<TradeRow>(
      `SELECT symbol, sequence, price::text, quantity::text, taker_side, executed_at
         FROM ${schema}.trades WHERE symbol = $1 AND sequence > $2 ORDER BY sequence`,
      [symbol, afterSequence],
    );
    return rows.map(tradeOf);
  },

  async userFills(userId, { first, after }) {
    const [afterTime, afterSymbol, afterSequence] = after ? positionOf(after) : [null, null, null];
    const { rows } = await db.query<FillRow>(
      `SELECT symbol, sequence, liquidity, order_id, side, price::text, quantity::text, fee::text,
              fee_asset, executed_at
         FROM ${schema}.fills
        WHERE user_id = $1
          AND ($2::timestamptz IS NULL
               OR (executed_at, symbol, sequence) < ($2::timestamptz, $3::text, $4::int))
        ORDER BY executed_at DESC, symbol DESC, sequence DESC
        LIMIT $5`,
      [userId, afterTime, afterSymbol, afterSequence, first + 1],
    );
    const page = rows.slice(0, first);
    return {
      items: page.map((row) => {
        const node = fillOf(row);
        return { node, cursor: cursorOf(node, row.sequence) };
      }),
      hasNextPage: rows.length > first,
    };
  },

  async positions(userId) {
    const { rows } = await db.query<PositionRow>(
      `SELECT symbol, currency, currency_scale, quantity::text, cost_basis::text, realised_pnl::text
         FROM ${schema}.positions WHERE user_id = $1 ORDER BY symbol`,
      [userId],
    );
    return rows.map((row) => ({
      symbol: row.symbol,
      currency: row.currency,
      currencyScale: row.currency_scale,
      position: {
        quantity: signedDecimal(row.quantity),
        costBasis: signedDecimal(row.cost_basis),
        realisedPnl: signedDecimal(row.realised_pnl),
      },
    }));
  },
});
