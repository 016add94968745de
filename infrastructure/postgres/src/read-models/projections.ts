import { pino, type Logger } from 'pino';
import type {
  Projection,
  RetryPolicy,
  Subscription,
  Upcaster,
} from '@simple-securities/event-sourcing';
import { upcasterChain } from '@simple-securities/event-sourcing';
import type { SqlDatabase, SqlExecutor } from '../sql-database.js';
import { startDurableConsumer } from '../consumers/durable-consumer.js';
import { EVENT_LOG_TABLE, eventLog } from '../event-store/event-log.js';

export interface ProjectionOptions {
  upcasters?: readonly Upcaster[];
  logger?: Logger;
  retry?: Partial<RetryPolicy>;
  batchSize?: number;
}

export const projectionConsumer = (projection: Projection) => `projection:${projection.name}`;

/** Keeps a read model up to date from the event store; each event and the checkpoint commit together. */
export const startProjection = (
  database: SqlDatabase,
  projection: Projection<SqlExecutor>,
  options: ProjectionOptions = {},
): Promise<Subscription> =>
  startDurableConsumer({
    database,
    source: eventLog(upcasterChain(options.upcasters ?? [])),
    consumer: projectionConsumer(projection),
    handler: (event, { tx }) => projection.apply(event, tx),
    logger: (options.logger ?? pino({ name: 'projections' })).child({
      projection: projection.name,
    }),
    types: projection.types,
    retry: options.retry,
    batchSize: options.batchSize,
  });

/**
 * Empties the read model and rewinds its checkpoint in one transaction; the next
 * `startProjection` replays the whole log. Stop the running projection first.
 */
export const resetProjection = (database: SqlDatabase, projection: Projection<SqlExecutor>) =>
  database.transaction(async (tx) => {
    await projection.reset(tx);
    await tx.query(
      `INSERT INTO consumer_checkpoints (consumer, log, position) VALUES ($1, $2, 0)
       ON CONFLICT (consumer) DO UPDATE SET position = 0, updated_at = now()`,
      [projectionConsumer(projection), EVENT_LOG_TABLE],
    );
  });
