import type { SqlExecutor } from '@simple-securities/postgres';
import {
  applyFill,
  type FeeSchedule,
  FLAT,
  formatUnits,
  type Instrument,
  type Position,
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
  quantity: string;
  cost_basis: string;
  realised_pnl: string;
}

/**
 * Keeps the tape (`<schema>.trades`), each user's fills (`<schema>.fills`) and their
 * positions (`<schema>.positions`) in step with a book's trades. A book has one writer,
 * and a position belongs to one book, so reading and rewriting it here cannot race.
 */
export const projectTrades = async (
  tx: SqlExecutor,
  schema: TradingSchema,
  batch: BookBatch,
  fees: FeeSchedule,
): Promise<void> => {
  const { instrument, recordedAt } = batch;
  for (const { event, version } of versioned(batch)) {
    if (event.type !== 'TradeExecuted') continue;
    const price = priceText(instrument, event.price);
    const quantity = quantityText(instrument, event.quantity);
    await tx.query(
      `INSERT INTO ${schema}.trades (symbol, sequence, price, quantity, taker_side, executed_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [instrument.symbol, version, price, quantity, event.takerSide, recordedAt],
    );
    for (const side of sidesOf(instrument, event, fees)) {
      await tx.query(
        `INSERT INTO ${schema}.fills (symbol, sequence, liquidity, user_id, order_id, side, price,
           quantity, fee, fee_asset, executed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          instrument.symbol,
          version,
          side.liquidity,
          side.userId,
          side.orderId,
          side.side,
          price,
          quantity,
          side.fee,
          instrument.quoteAsset,
          recordedAt,
        ],
      );
      await movePosition(tx, schema, instrument, side, {
        side: side.side,
        price,
        quantity,
        fee: side.fee,
      });
    }
  }
};

const movePosition = async (
  tx: SqlExecutor,
  schema: TradingSchema,
  instrument: Instrument,
  { userId }: TradeSide,
  fill: Parameters<typeof applyFill>[1],
): Promise<void> => {
  const { rows } = await tx.query<PositionRow>(
    `SELECT quantity::text, cost_basis::text, realised_pnl::text
       FROM ${schema}.positions WHERE user_id = $1 AND symbol = $2`,
    [userId, instrument.symbol],
  );
  const [row] = rows;
  const before: Position = row
    ? {
        quantity: signedDecimal(row.quantity),
        costBasis: signedDecimal(row.cost_basis),
        realisedPnl: signedDecimal(row.realised_pnl),
      }
    : FLAT;
  const after = applyFill(before, fill);
  await tx.query(
    `INSERT INTO ${schema}.positions (user_id, symbol, currency, currency_scale, quantity,
       cost_basis, realised_pnl)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (user_id, symbol) DO UPDATE
         SET quantity = excluded.quantity, cost_basis = excluded.cost_basis,
             realised_pnl = excluded.realised_pnl`,
    [
      userId,
      instrument.symbol,
      instrument.quoteAsset,
      instrument.quoteScale,
      signedDecimalText(after.quantity),
      signedDecimalText(after.costBasis),
      signedDecimalText(after.realisedPnl),
    ],
  );
};
