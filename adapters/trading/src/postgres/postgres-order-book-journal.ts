import type { PostgresEventStore, SqlDatabase } from '@simple-securities/postgres';
import { type Clock, systemClock } from '@simple-securities/shared-kernel';
import type { Instrument, OrderBookJournal, SpotBookEvent } from '@simple-securities/trading';
import type { BookBatch, BookProjection } from './book-batch.js';
import { projectSpotOrders } from './spot-order-projection.js';
import type { TradingSchema } from './trading-schema.js';

const streamOf = (symbol: string) => `spot-book-${symbol}`;

/**
 * Each spot book's events in the event store, one stream per symbol; the orders read
 * model in the context's schema is updated in the transaction that appends them, so it
 * never lags a reply.
 */
export const postgresOrderBookJournal = (
  schema: TradingSchema,
  database: SqlDatabase,
  store: PostgresEventStore,
  instrumentOf: (symbol: string) => Instrument,
  {
    projections = [],
    clock = systemClock,
  }: {
    /** Further read models and publications kept in the append's transaction (ADR 0025). */
    readonly projections?: readonly BookProjection[];
    readonly clock?: Clock;
  } = {},
): OrderBookJournal => ({
  async load(symbol) {
    const recorded = await store.readStream(streamOf(symbol));
    // Every event of one append carries that append's command id.
    const lastCommand = recorded.at(-1)?.metadata.causationId;
    let lastCommandEvents = 0;
    while (
      lastCommandEvents < recorded.length &&
      recorded[recorded.length - 1 - lastCommandEvents]?.metadata.causationId === lastCommand
    )
      lastCommandEvents += 1;
    const { rows } = await database.query<{ unsettled_from: string }>(
      `SELECT unsettled_from::text FROM ${schema}.settlement_backlog WHERE symbol = $1`,
      [symbol],
    );
    return {
      events: recorded.map((event) => event.data as SpotBookEvent),
      version: recorded.at(-1)?.streamVersion ?? 0,
      lastCommandEvents,
      unsettledFrom: rows[0] ? Number(rows[0].unsettled_from) : undefined,
    };
  },
  async recordUnsettled(symbol, unsettledFrom) {
    await (unsettledFrom === undefined
      ? database.query(`DELETE FROM ${schema}.settlement_backlog WHERE symbol = $1`, [symbol])
      : database.query(
          `INSERT INTO ${schema}.settlement_backlog (symbol, unsettled_from) VALUES ($1, $2)
           ON CONFLICT (symbol) DO UPDATE SET unsettled_from = EXCLUDED.unsettled_from`,
          [symbol, unsettledFrom],
        ));
  },
  async append(symbol, events, expectedVersion) {
    const causationId = crypto.randomUUID();
    const batch: BookBatch = {
      instrument: instrumentOf(symbol),
      events,
      firstVersion: expectedVersion + 1,
      recordedAt: clock.now(),
    };
    await database.transaction(async (tx) => {
      await store.in(tx).appendToStream(
        streamOf(symbol),
        events.map((event) => ({ type: event.type, data: event, metadata: { causationId } })),
        { expectedVersion: expectedVersion === 0 ? 'no_stream' : expectedVersion },
      );
      for (const projection of projections) await projection.project(tx, batch);
      await projectSpotOrders(tx, schema, batch.instrument, events);
    });
    for (const projection of projections) projection.committed?.(batch);
  },
});
