import type { Logger } from 'pino';
import type { SqlExecutor } from '../sql-database.js';
import { toPosition } from '../consumers/positions.js';
import { type PeriodicTask, startPeriodicTask } from '../maintenance/periodic-task.js';
import { messageLog } from './message-log.js';

/**
 * Which bus messages may be deleted, and when. Only the listed types are ever pruned:
 * high-volume, short-lived facts such as price ticks. Every other integration event
 * (a user registered, an order filled) stays in the log for good, so a consumer group
 * added later can still replay the business history.
 */
export interface MessageRetentionPolicy {
  readonly types: readonly string[];
  /** How long after publication a message of those types is kept. */
  readonly retentionMs: number;
}

export interface PruneOptions {
  /** Rows examined (and at most deleted) per statement, so no statement holds locks for long. */
  readonly batchSize?: number;
  /** Stops between batches. */
  readonly signal?: AbortSignal;
}

export interface PruneResult {
  readonly pruned: number;
  /** The slowest consumer group: nothing after its checkpoint was touched. */
  readonly slowest?: { readonly consumer: string; readonly position: number };
}

/** The bus's consumer groups only: projections' checkpoints are positions in the event store. */
const slowestConsumerGroup = async (db: SqlExecutor) => {
  const { rows } = await db.query<{ consumer: string; position: unknown }>(
    `SELECT consumer, position FROM consumer_checkpoints
      WHERE log = $1 ORDER BY position, consumer LIMIT 1`,
    [messageLog.table],
  );
  const row = rows[0];
  return row ? { consumer: row.consumer, position: toPosition(row.position) } : undefined;
};

/**
 * One batch: the next `limit` rows after `after` (in position order, at or below the
 * horizon), of which those of the policy's types older than the retention period go.
 */
const PRUNE_BATCH = `
  WITH batch AS MATERIALIZED (
    SELECT position, type, published_at FROM bus_messages
     WHERE position > $1 AND position <= $2
     ORDER BY position LIMIT $3),
  pruned AS (
    DELETE FROM bus_messages m USING batch b
     WHERE m.position = b.position AND b.type = ANY($4::text[])
       AND b.published_at < now() - $5::double precision * interval '1 millisecond'
    RETURNING m.position)
  SELECT (SELECT count(*) FROM batch) AS scanned,
         (SELECT max(position) FROM batch) AS last,
         (SELECT count(*) FROM pruned) AS pruned,
         (SELECT bool_or(published_at >= now() - $5::double precision * interval '1 millisecond')
            FROM batch) AS reached_recent`;

/**
 * Deletes bus messages that are of the policy's types, older than its retention period,
 * and at or below the checkpoint of every consumer group, so no group can miss one.
 *
 * Safe for the gap-safe readers (`GapSafeLogReader`): a running group only ever asks
 * for positions after its checkpoint, and nothing there is touched. A group that
 * starts later begins at 0 and meets the pruned range as holes below the highest
 * position; it treats them like rolled-back appends (final once every transaction
 * open at its first look has ended, a few ms) and reads on. The checkpoints are read
 * once per run; they only move forward, so a stale horizon is merely conservative.
 * With no consumer group at all, only type and age bound what goes.
 *
 * Walks the log in position order from the start and stops at the first batch that
 * reaches messages younger than the retention period (positions follow publication
 * time closely), so a run costs about what it deletes plus the kept messages before it.
 */
export const pruneMessages = async (
  db: SqlExecutor,
  policy: MessageRetentionPolicy,
  options: PruneOptions = {},
): Promise<PruneResult> => {
  const batchSize = options.batchSize ?? 5_000;
  const slowest = await slowestConsumerGroup(db);
  const horizon = slowest?.position ?? Number.MAX_SAFE_INTEGER;
  let pruned = 0;
  let after = 0;
  while (policy.types.length > 0 && !options.signal?.aborted) {
    const { rows } = await db.query<{
      scanned: unknown;
      last: unknown;
      pruned: unknown;
      reached_recent: boolean | null;
    }>(PRUNE_BATCH, [after, horizon, batchSize, policy.types, policy.retentionMs]);
    const row = rows[0];
    if (!row) break;
    pruned += toPosition(row.pruned);
    if (toPosition(row.scanned) < batchSize || row.reached_recent) break;
    after = toPosition(row.last);
  }
  return { pruned, slowest };
};

export interface MessageRetentionOptions extends Omit<PruneOptions, 'signal'> {
  readonly database: SqlExecutor;
  readonly policy: MessageRetentionPolicy;
  readonly logger: Logger;
  /** How often to prune; defaults to every minute. */
  readonly intervalMs?: number;
}

const minutes = (ms: number) => `${Math.round((ms / 60_000) * 100) / 100} min`;

/** Prunes the bus log on a timer (see `pruneMessages`); stop it with the process's services. */
export const startMessageRetention = (options: MessageRetentionOptions): PeriodicTask => {
  const { database, policy, logger } = options;
  return startPeriodicTask({
    name: 'bus log retention',
    intervalMs: options.intervalMs ?? 60_000,
    logger,
    async run(signal) {
      const { pruned, slowest } = await pruneMessages(database, policy, {
        batchSize: options.batchSize,
        signal,
      });
      const context = { pruned, types: policy.types, retentionMs: policy.retentionMs, slowest };
      const held = slowest
        ? `; everything after position ${slowest.position} is kept until the slowest consumer group, ${slowest.consumer}, has read it`
        : '';
      const message = `bus log retention pruned ${pruned} ${policy.types.join('/')} messages older than ${minutes(policy.retentionMs)}${held}`;
      if (pruned > 0) logger.info(context, message);
      else logger.debug(context, message);
    },
  });
};
