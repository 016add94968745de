import type { SqlDatabase } from '../sql-database.js';

interface Pending {
  inFlight: boolean;
  again: boolean;
}

const pendingOf = new WeakMap<SqlDatabase, Map<string, Pending>>();

/**
 * Wakes the readers of `channel` after a committed write. Outside the write's
 * transaction, because a NOTIFY inside one serialises every commit on a global lock;
 * coalesced, because one wake-up makes a reader fetch everything new: while one
 * notification is on its way, further writes ask for exactly one more.
 */
export const wakeReaders = (database: SqlDatabase, channel: string): void => {
  let channels = pendingOf.get(database);
  if (!channels) pendingOf.set(database, (channels = new Map()));
  let pending = channels.get(channel);
  if (!pending) channels.set(channel, (pending = { inFlight: false, again: false }));
  if (pending.inFlight) {
    pending.again = true;
    return;
  }
  pending.inFlight = true;
  const state = pending;
  // A lost wake-up only delays readers until their next poll.
  database
    .query('SELECT pg_notify($1, $2)', [channel, ''])
    .catch(() => undefined)
    .finally(() => {
      state.inFlight = false;
      if (state.again) {
        state.again = false;
        wakeReaders(database, channel);
      }
    });
};
