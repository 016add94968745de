import {
  type PeriodicTask,
  type SqlExecutor,
  startPeriodicTask,
} from '@simple-securities/postgres';
import type { Clock } from '@simple-securities/shared-kernel';
import type { Logger } from 'pino';
import { z } from 'zod';
import { checkedSchema } from './schema-name.js';

/**
 * Like a venue, we keep 1-second candles only briefly: one row per instrument per
 * second adds up to millions a day. Longer intervals are kept for good.
 */
export const DEFAULT_KLINE_1S_RETENTION_MINUTES = 60;

/** Price ticks stay in the bus log this long (once every consumer group has read them). */
export const DEFAULT_PRICE_TICK_RETENTION_MINUTES = 60;

/** How long a trading context keeps its market data's bulk: 1s candles and ticks on the bus. */
export const marketDataRetentionConfig = {
  /** Minutes a 1s candle stays queryable after it opened. */
  KLINE_1S_RETENTION_MINUTES: z.coerce
    .number()
    .positive()
    .default(DEFAULT_KLINE_1S_RETENTION_MINUTES),
  /** Minutes a price tick stays in the bus log once every consumer group has read it. */
  BUS_PRICE_TICK_RETENTION_MINUTES: z.coerce
    .number()
    .positive()
    .default(DEFAULT_PRICE_TICK_RETENTION_MINUTES),
};

export interface PruneKlinesOptions {
  readonly symbols: readonly string[];
  /** Candles that opened before this go. */
  readonly olderThan: Date;
  /** Rows per DELETE, so no statement holds locks for long. */
  readonly batchSize?: number;
  /** Stops between batches. */
  readonly signal?: AbortSignal;
}

/**
 * Deletes the context's 1s candles older than `olderThan`, in batches. Per symbol
 * (`symbol = ANY`) so each batch walks the primary key (symbol, interval, open_time).
 * Returns how many went.
 */
export const pruneOneSecondKlines = async (
  db: SqlExecutor,
  schemaName: string,
  options: PruneKlinesOptions,
): Promise<number> => {
  const schema = checkedSchema(schemaName);
  const batchSize = options.batchSize ?? 5_000;
  let pruned = 0;
  while (!options.signal?.aborted) {
    const { rowCount } = await db.query(
      `DELETE FROM ${schema}.klines k USING (
         SELECT symbol, interval, open_time FROM ${schema}.klines
          WHERE symbol = ANY($1::text[]) AND interval = '1s' AND open_time < $2
          LIMIT $3) old
        WHERE k.symbol = old.symbol AND k.interval = old.interval AND k.open_time = old.open_time`,
      [options.symbols, options.olderThan, batchSize],
    );
    pruned += rowCount;
    if (rowCount < batchSize) break;
  }
  return pruned;
};

export interface KlineRetentionOptions {
  readonly database: SqlExecutor;
  /** The trading context's schema (`crypto`, `stock`). */
  readonly context: string;
  readonly symbols: readonly string[];
  readonly clock: Clock;
  readonly retentionMinutes: number;
  readonly logger: Logger;
  /** How often to prune; defaults to every minute. */
  readonly intervalMs?: number;
  readonly batchSize?: number;
}

/** Prunes the context's 1s candles on a timer (see `pruneOneSecondKlines`). */
export const startKlineRetention = (options: KlineRetentionOptions): PeriodicTask => {
  const { database, context, symbols, clock, retentionMinutes, logger } = options;
  return startPeriodicTask({
    name: `${context} 1s candle retention`,
    intervalMs: options.intervalMs ?? 60_000,
    logger,
    async run(signal) {
      const olderThan = new Date(clock.now().getTime() - retentionMinutes * 60_000);
      const pruned = await pruneOneSecondKlines(database, context, {
        symbols,
        olderThan,
        batchSize: options.batchSize,
        signal,
      });
      const message = `${context} 1s candle retention pruned ${pruned} candles that opened before ${olderThan.toISOString()} (kept for ${retentionMinutes} min)`;
      if (pruned > 0) logger.info({ pruned, retentionMinutes }, message);
      else logger.debug({ pruned, retentionMinutes }, message);
    },
  });
};
