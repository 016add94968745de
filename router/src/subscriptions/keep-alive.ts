import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** A socket the keep-alive can ping. */
export interface Pingable {
  /** Pings the peer, or ends the connection when it never answered the previous ping. */
  pingOrEnd(): void;
}

/** Connections pinged per event-loop turn. */
const SLICE = 256;

/**
 * Pings every connection each interval; one that missed the previous ping is
 * ended. Pinging every connection at once would hold up deliveries for the whole
 * sweep (about 80 ms at 10,000 connections), so it yields between slices.
 */
export const keepAlive = (
  connections: ReadonlySet<Pingable>,
  intervalMs: number,
): { stop(): void } => {
  const sweep = async () => {
    let inSlice = 0;
    for (const connection of [...connections]) {
      // Closed while an earlier slice yielded.
      if (!connections.has(connection)) continue;
      connection.pingOrEnd();
      if (++inSlice === SLICE) {
        inSlice = 0;
        await yieldToEventLoop();
      }
    }
  };
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
};
