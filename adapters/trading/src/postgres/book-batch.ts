import type { SqlExecutor } from '@simple-securities/postgres';
import type { Instrument, SpotBookEvent } from '@simple-securities/trading';

/** One append to a book's stream, as the projections beside the orders list see it. */
export interface BookBatch {
  readonly instrument: Instrument;
  readonly events: readonly SpotBookEvent[];
  /** The stream version of the first event: each event's version is its book's sequence. */
  readonly firstVersion: number;
  /** When the append was made; the time of its trades. */
  readonly recordedAt: Date;
}

/** A read model (or publication) kept in step with a book's stream by its journal. */
export interface BookProjection {
  /**
   * Runs in the append's transaction, before the orders list takes the batch, so it reads
   * each order as it stood before these events.
   */
  project(tx: SqlExecutor, batch: BookBatch): Promise<void>;
  /** After the append committed: best-effort effects such as live pushes. Must not throw. */
  committed?(batch: BookBatch): void;
}

/** Each event with its stream version. */
export const versioned = (batch: BookBatch) =>
  batch.events.map((event, index) => ({ event, version: batch.firstVersion + index }));
