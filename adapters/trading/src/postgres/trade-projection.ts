import type { SqlExecutor } from '@simple-securities/postgres';
import {
  applyFill,
  type FeeSchedule,
  FLAT,
  formatUnits,
  type Instrument,
  type Position,
  type PositionFill,
  priceText,
  quantityText,
  settleTrade,
  signedDecimal,
  signedDecimalText,
  type TradeExecuted,
} from '@simple-securities/trading';
import { type BookBatch, versioned } from './book-batch.js';
import type { TradingSchema } from './trading-schema.js';

/** One side of a trade: whose order, and what it paid in fees. */
export interface TradeSide {
  readonly userId: string;
  readonly orderId: string;
  readonly side: 'buy' | 'sell';
  readonly liquidity: 'MAKER' | 'TAKER';
  /** In the quote asset, at its scale. */
  readonly fee: string;
}

/** The maker's and the taker's side of a trade, fees as settlement charges them (ADR 0014). */
export const sidesOf = (
  instrument: Instrument,
  trade: TradeExecuted,
  fees: FeeSchedule,
): [maker: TradeSide, taker: TradeSide] => {
  const money = settleTrade(instrument, trade, fees);
  const fee = (units: bigint) => formatUnits(units, instrument.quoteScale);
  const takerBuys = trade.takerSide === 'buy';
  return [
    {
      userId: trade.makerAccountId,
      orderId: trade.makerOrderId,
      side: takerBuys ? 'sell' : 'buy',
      liquidity: 'MAKER',
      fee: fee(takerBuys ? money.sellerFee : money.buyerFee),
    },
    {
      userId: trade.takerAccountId,
      orderId: trade.takerOrderId,
      side: trade.takerSide,
      liquidity: 'TAKER',
      fee: fee(takerBuys ? money.buyerFee : money.sellerFee),
    },
  ];
};

interface PositionRow {
  user_id: string;
  quantity: string;
  cost_basis: string;
  realised_pnl: string;
}

/**
 * Keeps the tape (`<schema>.trades`), each user's fills (`<schema>.fills`) and their
 * positions (`<schema>.positions`) in step with a book's trades, a few statements per
 * batch however many trades it has (the book's writer waits for them). A book has one
 * writer, and a position belongs to one book, so reading and rewriting it here cannot race.
 */
export const projectTrades = async (
  tx: SqlExecutor,
  schema: TradingSchema,
  batch: BookBatch,
  fees: FeeSchedule,
): Promise<void> => {
  const { instrument, recordedAt } = batch;
  const trades = versioned(batch).flatMap(({ event, version }) =>
    event.type === 'TradeExecuted'
      ? [
          {
            event,
            sequence: version,
            price: priceText(instrument, event.price),
            quantity: quantityText(instrument, event.quantity),
          },
        ]
      : [],
  );
  if (trades.length === 0) return;
  const fills = trades.flatMap(({ event, sequence, price, quantity }) =>
    sidesOf(instrument, event, fees).map((side) => ({ ...side, sequence, price, quantity })),
  );
  await tx.query(
    `INSERT INTO ${schema}.trades (symbol, sequence, price, quantity, taker_side, executed_at)
     SELECT $1, t.sequence, t.price, t.quantity, t.taker_side, $3
       FROM jsonb_to_recordset($2::jsonb)
         AS t(sequence int, price numeric, quantity numeric, taker_side text)`,
    [
      instrument.symbol,
      JSON.stringify(
        trades.map(({ event, sequence, price, quantity }) => ({
          sequence,
          price,
          quantity,
          taker_side: event.takerSide,
        })),
      ),
      recordedAt,
    ],
  );
  await tx.query(
    `INSERT INTO ${schema}.fills (symbol, sequence, liquidity, user_id, order_id, side, price,
       quantity, fee, fee_asset, executed_at)
     SELECT $1, f.sequence, f.liquidity, f."userId", f."orderId", f.side, f.price, f.quantity,
            f.fee, $3, $4
       FROM jsonb_to_recordset($2::jsonb)
         AS f(sequence int, liquidity text, "userId" text, "orderId" text, side text,
              price numeric, quantity numeric, fee numeric)`,
    [instrument.symbol, JSON.stringify(fills), instrument.quoteAsset, recordedAt],
  );
  await movePositions(tx, schema, instrument, fills);
};

/** Folds the fills into their users' positions: one read and one write for the batch. */
const movePositions = async (
  tx: SqlExecutor,
  schema: TradingSchema,
  instrument: Instrument,
  fills: readonly (TradeSide & PositionFill)[],
): Promise<void> => {
  const { rows } = await tx.query<PositionRow>(
    `SELECT user_id, quantity::text, cost_basis::text, realised_pnl::text
       FROM ${schema}.positions WHERE symbol = $1 AND user_id = ANY($2::text[])`,
    [instrument.symbol, [...new Set(fills.map(({ userId }) => userId))]],
  );
  const positions = new Map<string, Position>(
    rows.map((row) => [
      row.user_id,
      {
        quantity: signedDecimal(row.quantity),
        costBasis: signedDecimal(row.cost_basis),
        realisedPnl: signedDecimal(row.realised_pnl),
      },
    ]),
  );
  for (const fill of fills)
    positions.set(fill.userId, applyFill(positions.get(fill.userId) ?? FLAT, fill));
  await tx.query(
    `INSERT INTO ${schema}.positions (user_id, symbol, currency, currency_scale, quantity,
       cost_basis, realised_pnl)
     SELECT p."userId", $1, $2, $3, p.quantity, p."costBasis", p."realisedPnl"
       FROM jsonb_to_recordset($4::jsonb)
         AS p("userId" text, quantity numeric, "costBasis" numeric, "realisedPnl" numeric)
       ON CONFLICT (user_id, symbol) DO UPDATE
         SET quantity = excluded.quantity, cost_basis = excluded.cost_basis,
             realised_pnl = excluded.realised_pnl`,
    [
      instrument.symbol,
      instrument.quoteAsset,
      instrument.quoteScale,
      JSON.stringify(
        [...positions].map(([userId, position]) => ({
          userId,
          quantity: signedDecimalText(position.quantity),
          costBasis: signedDecimalText(position.costBasis),
          realisedPnl: signedDecimalText(position.realisedPnl),
        })),
      ),
    ],
  );
};
