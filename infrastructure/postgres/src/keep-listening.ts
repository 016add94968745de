import type { Logger } from 'pino';
import type { SqlDatabase } from './sql-database.js';

/** How long to wait before listening again after the listening connection dropped, at most. */
const RELISTEN_DELAY_MS = { first: 250, max: 10_000 };

export interface KeepListeningOptions {
  readonly logger: Logger;
  /** What goes wrong while nobody listens, in an operator's words, for the warning. */
  readonly whileDown: string;
  /**
   * Called once listening again: whatever was notified meanwhile is lost, so a caller
   * that must not miss work looks for it then.
   */
  readonly onListeningAgain?: () => void;
}

/**
 * LISTENs on `channel`, and when the listening connection drops (the server restarted,
 * the connection was killed) listens again with a growing delay until it succeeds, so
 * one dropped connection does not silence the channel until the process restarts.
 * Resolves to a function that stops listening for good.
 */
export const keepListening = async (
  database: SqlDatabase,
  channel: string,
  onPayload: (payload: string) => void,
  { logger, whileDown, onListeningAgain }: KeepListeningOptions,
): Promise<() => Promise<void>> => {
  let stopped = false;
  let unlisten: (() => Promise<void>) | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const listenAgain = (delayMs: number) => {
    if (stopped) return;
    retry = setTimeout(() => {
      database.listen(channel, onPayload, lost).then(
        (stop) => {
          if (stopped) return void stop();
          unlisten = stop;
          logger.info({ channel }, `listening on ${channel} again`);
          onListeningAgain?.();
        },
        (error: unknown) => {
          logger.warn(
            { err: error, channel, retryInMs: delayMs * 2 },
            `could not listen on ${channel} again; retrying`,
          );
          listenAgain(Math.min(delayMs * 2, RELISTEN_DELAY_MS.max));
        },
      );
    }, delayMs);
  };

  const lost = (error: Error) => {
    unlisten = undefined;
    logger.warn(
      { err: error, channel },
      `the connection listening on ${channel} dropped; ${whileDown} until it listens again`,
    );
    listenAgain(RELISTEN_DELAY_MS.first);
  };

  unlisten = await database.listen(channel, onPayload, lost);
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await unlisten?.();
  };
};
