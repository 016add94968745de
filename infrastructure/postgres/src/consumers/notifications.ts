import type { Logger } from 'pino';
import { keepListening } from '../keep-listening.js';
import type { SqlDatabase } from '../sql-database.js';

/**
 * Told each notification's payload, or `undefined` after the listening connection
 * dropped and came back: notifications sent meanwhile are lost, so look for work.
 */
export type NotificationHandler = (payload: string | undefined) => void;

interface Channel {
  handlers: Set<NotificationHandler>;
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
  handler: NotificationHandler,
  logger: Logger,
): Promise<() => Promise<void>> => {
  let channels = channelsOf.get(database);
  if (!channels) channelsOf.set(database, (channels = new Map()));
  let channel = channels.get(name);
  if (!channel) {
    const handlers = new Set<NotificationHandler>();
    const stop = keepListening(
      database,
      name,
      (payload) => handlers.forEach((notify) => notify(payload)),
      {
        logger,
        whileDown: `consumers waiting on ${name} notice new work only when they poll`,
        onListeningAgain: () => handlers.forEach((notify) => notify(undefined)),
      },
    );
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
