import type { PostgresEventStore, SqlDatabase } from '@simple-securities/postgres';
import type { Instrument, OrderBookJournal, SpotBookEvent } from '@simple-securities/trading';
import { projectSpotOrders } from './spot-order-projection.js';

const streamOf = (symbol: string) => `spot-book-${symbol}`;

/**
 * Each spot book's events in the event store, one stream per symbol; the orders read
 * model is updated in the transaction that appends them, so it never lags a reply.
 */
export const postgresOrderBookJournal = (
  database: SqlDatabase,
  store: PostgresEventStore,
  instrumentOf: (symbol: string) => Instrument,
): OrderBookJournal => ({
  async load(symbol) {
    const recorded = await store.readStream(streamOf(symbol));
    return {
      events: recorded.map((event) => event.data as SpotBookEvent),
      version: recorded.at(-1)?.streamVersion ?? 0,
    };
  },
  async append(symbol, events, expectedVersion) {
    await database.transaction(async (tx) => {
      await store.in(tx).appendToStream(
        streamOf(symbol),
        events.map((event) => ({ type: event.type, data: event })),
        { expectedVersion: expectedVersion === 0 ? 'no_stream' : expectedVersion },
      );
      await projectSpotOrders(tx, 'crypto', instrumentOf(symbol), events);
    });
  },
});
