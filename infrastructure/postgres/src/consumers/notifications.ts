import type { SqlDatabase } from '../sql-database.js';

interface Channel {
  handlers: Set<(payload: string) => void>;
  stop: Promise<() => Promise<void>>;
}

const channelsOf = new WeakMap<SqlDatabase, Map<string, Channel>>();

/**
 * LISTEN once per database and channel, however many consumers wait on it: on a
 * server each LISTEN holds a pooled connection, and consumers must not starve the pool.
 */
export const onNotification = async (
  database: SqlDatabase,
  name: string,
  handler: (payload: string) => void,
): Promise<() => Promise<void>> => {
  let channels = channelsOf.get(database);
  if (!channels) channelsOf.set(database, (channels = new Map()));
  let channel = channels.get(name);
  if (!channel) {
    const handlers = new Set<(payload: string) => void>();
    const stop = database.listen(name, (payload) => handlers.forEach((notify) => notify(payload)));
    channel = { handlers, stop };
    channels.set(name, channel);
    stop.catch(() => channels.delete(name));
  }
  const joined = channel;
  joined.handlers.add(handler);
  await joined.stop;
  return async () => {
    joined.handlers.delete(handler);
    if (joined.handlers.size > 0 || channels.get(name) !== joined) return;
    channels.delete(name);
    await (
      await joined.stop
    )();
  };
};
