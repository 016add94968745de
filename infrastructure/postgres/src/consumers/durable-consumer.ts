import type { Logger } from 'pino';
import {
  type HandlerContext,
  type RetryPolicy,
  type Subscription,
  backoffDelay,
  defaultRetryPolicy,
} from '@simple-securities/event-sourcing';
import type { SqlDatabase, SqlExecutor } from '../sql-database.js';
import { followLoop } from './follow-loop.js';
import { onNotification } from './notifications.js';
import { GapSafeLogReader, type LogSource } from './log-reader.js';
import { sleep, toPosition } from './positions.js';

export type ItemHandler<Item> = (item: Item, context: HandlerContext<SqlExecutor>) => Promise<void>;

export interface DurableConsumerOptions<Item> {
  database: SqlDatabase;
  source: LogSource<Item>;
  consumer: string;
  handler: ItemHandler<Item>;
  logger: Logger;
  types?: readonly string[];
  retry?: Partial<RetryPolicy>;
  batchSize?: number;
  idleMs?: number;
}

/** Another instance of the same consumer group moved the checkpoint first. */
class CheckpointMoved extends Error {}

export const DEAD_LETTER_CHANNEL = 'dead_letters';

const advance = async (tx: SqlExecutor, consumer: string, from: number, to: number) => {
  const { rowCount } = await tx.query(
    `UPDATE consumer_checkpoints SET position = $3, updated_at = now()
      WHERE consumer = $1 AND position = $2`,
    [consumer, from, to],
  );
  if (rowCount !== 1) throw new CheckpointMoved(`checkpoint of ${consumer} moved`);
};

/** A consumer group's position in `log` (`bus_messages` or `es_events`), created at 0 on first use. */
export const loadCheckpoint = async (
  db: SqlExecutor,
  consumer: string,
  log: string,
): Promise<number> => {
  await db.query(
    `INSERT INTO consumer_checkpoints (consumer, log) VALUES ($1, $2) ON CONFLICT (consumer) DO NOTHING`,
    [consumer, log],
  );
  const { rows } = await db.query<{ position: unknown }>(
    `SELECT position FROM consumer_checkpoints WHERE consumer = $1`,
    [consumer],
  );
  return toPosition(rows[0]?.position ?? 0);
};

const describe = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

/**
 * A consumer group over a log table. Items are handled in a transaction that also
 * moves the group's checkpoint (a batch at a time, or one item at a time after a
 * failure), so the handler's writes and the checkpoint commit together: a crash
 * loses nothing and applies nothing twice. A failing item is retried
 * with backoff, then parked in `dead_letters` with its error, and the group moves on.
 */
export const startDurableConsumer = async <Item>(
  options: DurableConsumerOptions<Item>,
): Promise<Subscription> => {
  const { database, source, consumer, handler, logger } = options;
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const reader = new GapSafeLogReader(source);
  // Each step costs a read and a commit whatever its size, so under a backlog a small
  // batch caps throughput (100 kept a consumer seconds behind at 10,000 events/s);
  // a consumer that keeps up reads what is new, a few events, either way.
  const batchSize = options.batchSize ?? 1_000;

  /**
   * Runs `work` in one transaction, then the effects its handlers deferred with
   * `afterCommit`, in order; a rollback drops them.
   */
  const transaction = async (
    work: (tx: SqlExecutor, afterCommit: (effect: () => void) => void) => Promise<void>,
  ) => {
    const effects: (() => void)[] = [];
    await database.transaction((tx) => work(tx, (effect) => effects.push(effect)));
    for (const effect of effects) {
      try {
        effect();
      } catch (error) {
        logger.error({ consumer, err: error }, `${consumer}: an after-commit effect failed`);
      }
    }
  };

  /** `failedOnce`: the first attempt already failed inside a batch. */
  const deliver = async (item: Item, from: number, failedOnce?: unknown): Promise<void> => {
    const position = source.position(item);
    if (failedOnce !== undefined) {
      if (policy.maxAttempts <= 1) return park(item, from, failedOnce, 1);
      await sleep(backoffDelay(policy, 1));
    }
    for (let attempt = failedOnce === undefined ? 1 : 2; ; attempt++) {
      try {
        await transaction(async (tx, afterCommit) => {
          await handler(item, { tx, attempt, consumer, afterCommit });
          await advance(tx, consumer, from, position);
        });
        return;
      } catch (error) {
        if (error instanceof CheckpointMoved) throw error;
        if (attempt >= policy.maxAttempts) {
          await park(item, from, error, attempt);
          return;
        }
        const delay = backoffDelay(policy, attempt);
        logger.warn(
          { consumer, messageId: source.id(item), position, attempt, delayMs: delay, err: error },
          `${consumer} failed to handle ${source.type(item)} ${source.id(item)} (attempt ${attempt} of ${policy.maxAttempts}); retrying in ${delay} ms`,
        );
        await sleep(delay);
      }
    }
  };

  /**
   * The fast path: the whole batch and the checkpoint in one transaction (one commit,
   * one flush). When a handler fails the batch rolls back and reports which event failed.
   */
  const deliverBatch = async (
    items: readonly Item[],
    from: number,
  ): Promise<{ failedAt: number; error?: unknown }> => {
    const last = items.at(-1);
    if (!last) return { failedAt: -1 };
    let current = 0;
    try {
      await transaction(async (tx, afterCommit) => {
        for (; current < items.length; current++)
          await handler(items[current] as Item, { tx, attempt: 1, consumer, afterCommit });
        await advance(tx, consumer, from, source.position(last));
      });
      return { failedAt: -1 };
    } catch (error) {
      if (error instanceof CheckpointMoved || current === items.length) throw error;
      return { failedAt: current, error };
    }
  };

  const park = async (item: Item, from: number, error: unknown, attempts: number) => {
    const position = source.position(item);
    await database.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO dead_letters (consumer, message_id, position, message, error, attempts)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          consumer,
          source.id(item),
          position,
          JSON.stringify(source.toJson(item)),
          describe(error),
          attempts,
        ],
      );
      await advance(tx, consumer, from, position);
    });
    logger.error(
      { consumer, messageId: source.id(item), position, attempts, err: error },
      `${consumer} parked ${source.type(item)} ${source.id(item)} as a dead letter after ${attempts} attempts; list with \`npm run dead-letters -- list\`, replay with \`npm run dead-letters -- replay <id>\``,
    );
  };

  /** One attempt per replay request; a failure parks the event again with the new error. */
  const replayRequested = async () => {
    const { rows } = await database.query<{ id: unknown; message: unknown; attempts: number }>(
      `SELECT id, message, attempts FROM dead_letters
        WHERE consumer = $1 AND status = 'replay_requested' ORDER BY id`,
      [consumer],
    );
    for (const row of rows) {
      const id = toPosition(row.id);
      const item = source.fromJson(row.message);
      try {
        await transaction(async (tx, afterCommit) => {
          await handler(item, { tx, attempt: row.attempts + 1, consumer, afterCommit });
          const resolved = await tx.query(
            `UPDATE dead_letters SET status = 'resolved', resolved_at = now(), attempts = attempts + 1
              WHERE id = $1 AND status = 'replay_requested'`,
            [id],
          );
          if (resolved.rowCount !== 1)
            throw new CheckpointMoved(`dead letter ${id} replayed elsewhere`);
        });
        logger.info({ consumer, deadLetter: id }, `${consumer} replayed dead letter ${id}`);
      } catch (error) {
        if (error instanceof CheckpointMoved) continue;
        await database.query(
          `UPDATE dead_letters SET status = 'parked', error = $2, attempts = attempts + 1, parked_at = now()
            WHERE id = $1 AND status = 'replay_requested'`,
          [id, describe(error)],
        );
        logger.error(
          { consumer, deadLetter: id, err: error },
          `${consumer} replay of dead letter ${id} failed again`,
        );
      }
    }
  };

  // Replay is asked for through DEAD_LETTER_CHANNEL (`npm run dead-letters -- replay`),
  // with the consumer's name as payload; requests made while this group was not
  // listening (not running, or its connection down) are picked up once it is. This
  // handler is registered before the loop's own wake-up on the same channel, so the
  // step that wakes sees the flag.
  let replayAsked = true;
  const stopListeningForReplays = await onNotification(
    database,
    DEAD_LETTER_CHANNEL,
    (payload) => {
      if (payload === undefined || payload === consumer) replayAsked = true;
    },
    logger,
  );
  const replayIfAsked = async () => {
    if (!replayAsked) return;
    replayAsked = false;
    try {
      await replayRequested();
    } catch (error) {
      replayAsked = true;
      throw error;
    }
  };

  const loop = await followLoop({
    database,
    channels: [source.table, DEAD_LETTER_CHANNEL],
    logger,
    name: consumer,
    idleMs: options.idleMs,
    start: await loadCheckpoint(database, consumer, source.table),
    async step(start) {
      await replayIfAsked();
      let checkpoint = start;
      try {
        const batch = await reader.read(database, checkpoint, batchSize, options.types);
        const { failedAt, error } = await deliverBatch(batch.items, checkpoint);
        if (failedAt < 0) {
          const last = batch.items.at(-1);
          if (last) checkpoint = source.position(last);
        } else {
          // Redo up to the failing event one per transaction: its retries and dead letter.
          for (const [index, item] of batch.items.slice(0, failedAt + 1).entries()) {
            await deliver(item, checkpoint, index === failedAt ? error : undefined);
            checkpoint = source.position(item);
          }
          // The rest of the batch comes in the next step.
          return { checkpoint, more: true, blocked: false };
        }
        if (batch.checkpoint > checkpoint) {
          await database.transaction((tx) => advance(tx, consumer, checkpoint, batch.checkpoint));
          checkpoint = batch.checkpoint;
        }
        return {
          checkpoint,
          more: batch.checkpoint > start && !batch.blocked,
          blocked: batch.blocked,
        };
      } catch (error) {
        if (!(error instanceof CheckpointMoved)) throw error;
        logger.info(
          { consumer },
          `${consumer}: another instance moved the checkpoint; resuming from it`,
        );
        return {
          checkpoint: await loadCheckpoint(database, consumer, source.table),
          more: true,
          blocked: false,
        };
      }
    },
  });
  return {
    get checkpoint() {
      return loop.checkpoint;
    },
    waitFor: (position, timeoutMs) => loop.waitFor(position, timeoutMs),
    async stop() {
      await loop.stop();
      await stopListeningForReplays();
    },
  };
};
