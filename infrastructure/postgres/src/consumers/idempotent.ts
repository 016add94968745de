import type { SqlExecutor } from '../sql-database.js';

/**
 * Records that `consumer` handled `messageId`, in the handler's transaction.
 * False when it was recorded before: the caller skips the work, and because the
 * mark commits or rolls back with the handler's writes, "seen" always means "applied".
 */
export const markProcessed = async (
  tx: SqlExecutor,
  consumer: string,
  messageId: string,
): Promise<boolean> => {
  const { rowCount } = await tx.query(
    `INSERT INTO processed_messages (consumer, message_id) VALUES ($1, $2)
     ON CONFLICT (consumer, message_id) DO NOTHING`,
    [consumer, messageId],
  );
  return rowCount === 1;
};

/** Wraps a handler so a redelivered event (same id) changes nothing. */
export const idempotent =
  <Event extends { id: string }, Context extends { tx: SqlExecutor; consumer: string }>(
    handler: (event: Event, context: Context) => Promise<void>,
  ) =>
  async (event: Event, context: Context): Promise<void> => {
    if (await markProcessed(context.tx, context.consumer, event.id)) await handler(event, context);
  };
