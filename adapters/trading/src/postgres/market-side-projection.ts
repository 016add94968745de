import type { FeeSchedule } from '@simple-securities/trading';
import type { BookBatch, BookProjection } from './book-batch.js';
import { publishOrderEvents } from './order-event-publication.js';
import { projectOrderBook } from './order-book-projection.js';
import { projectTrades } from './trade-projection.js';
import type { TradingSchema } from './trading-schema.js';

export interface MarketSideProjectionOptions {
  readonly schema: TradingSchema;
  /** The fees settlement charges, so fills and positions show the same amounts. */
  readonly fees: FeeSchedule;
  /** The publishing context, e.g. `/crypto` (`CRYPTO_SOURCE`). */
  readonly source: string;
  /** Told of each committed batch, e.g. to push live updates. */
  readonly committed?: (batch: BookBatch) => void;
}

/**
 * A context's read side of its books (ADR 0025): the integration events of each batch
 * through the outbox, the price levels, the tape, each user's fills and positions, all
 * in the append's transaction.
 */
export const marketSideProjection = ({
  schema,
  fees,
  source,
  committed,
}: MarketSideProjectionOptions): BookProjection => ({
  async project(tx, batch) {
    // First: it reads the orders list as it stood before the batch.
    await publishOrderEvents(tx, schema, batch, { fees, source });
    await projectOrderBook(tx, schema, batch);
    await projectTrades(tx, schema, batch, fees);
  },
  ...(committed ? { committed } : {}),
});
