import type { Logger } from 'pino';
import { keepListening } from '../keep-listening.js';
import type { SqlDatabase } from '../sql-database.js';

/**
 * Postgres refuses a NOTIFY payload of 8,000 bytes or more; a notification carries
 * as many payloads as fit below that.
 */
export const NOTIFY_PAYLOAD_LIMIT_BYTES = 7_999;

/**
 * Live messages for every replica of a service: what one process publishes reaches the
 * subscribers of every process listening on the same database, its own included, in the
 * order it was published. Best effort, like any live feed: a replica whose listening
 * connection is down misses what was sent meanwhile (it logs that and listens again).
 */
export interface Broadcast {
  /**
   * Sends the payloads once the calling tick has finished, together with whatever else
   * was published in it. Call it after the data the payloads describe has committed
   * (`afterCommit`): a NOTIFY inside the transaction would serialise commits (ADR 0003).
   */
  publish(payloads: readonly string[]): void;
  /** Calls `onPayload` for every payload published from now on; resolves to a function that stops. */
  subscribe(onPayload: (payload: string) => void): Promise<() => Promise<void>>;
}

/** A broadcast over Postgres `pg_notify`/LISTEN on one channel; works on the server and PGlite. */
export const postgresBroadcast = (
  database: SqlDatabase,
  channel: string,
  logger: Logger,
): Broadcast => {
  let outgoing: string[] = [];
  /** One send at a time, so notifications leave (and arrive) in the order they were published. */
  let sending = Promise.resolve();

  const send = () => {
    const batch = outgoing;
    outgoing = [];
    const bodies = packed(batch, (payload) =>
      logger.error(
        { channel, bytes: Buffer.byteLength(payload) },
        `a message on ${channel} is too large for a Postgres notification; no replica receives it live`,
      ),
    );
    sending = sending.then(() =>
      database
        // unnest yields the bodies in array order, and pg_notify runs row by row
        .query('SELECT pg_notify($1, body) FROM unnest($2::text[]) AS body', [channel, bodies])
        .then(
          () => undefined,
          (error: unknown) =>
            logger.warn(
              { err: error, channel, messages: batch.length },
              `could not broadcast ${batch.length} message(s) on ${channel}; subscribers miss them live (stored data is unaffected)`,
            ),
        ),
    );
  };

  return {
    publish(payloads) {
      if (payloads.length === 0) return;
      if (outgoing.length === 0) queueMicrotask(send);
      outgoing.push(...payloads);
    },

    subscribe(onPayload) {
      const heard = (body: string) => {
        const payloads = safeJson(body);
        if (!isStringArray(payloads)) {
          logger.warn({ channel, body }, `ignored a malformed notification on ${channel}`);
          return;
        }
        for (const payload of payloads) onPayload(payload);
      };
      return keepListening(database, channel, heard, {
        logger,
        whileDown: "this replica's subscribers miss live messages",
      });
    },
  };
};

/** Groups payloads, in order, into as few notification bodies as stay under the limit. */
const packed = (payloads: readonly string[], onTooLarge: (payload: string) => void): string[] => {
  const bodies: string[] = [];
  let current: string[] = [];
  let currentBytes = 2; // "[]"
  for (const payload of payloads) {
    const encoded = JSON.stringify(payload);
    const bytes = Buffer.byteLength(encoded) + 1; // and its comma
    if (bytes + 2 > NOTIFY_PAYLOAD_LIMIT_BYTES) {
      onTooLarge(payload);
      continue;
    }
    if (currentBytes + bytes > NOTIFY_PAYLOAD_LIMIT_BYTES) {
      bodies.push(`[${current.join(',')}]`);
      current = [];
      currentBytes = 2;
    }
    current.push(encoded);
    currentBytes += bytes;
  }
  if (current.length > 0) bodies.push(`[${current.join(',')}]`);
  return bodies;
};

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};
