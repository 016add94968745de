import { PRICE_TICKED_EVENT_TYPES } from '@simple-securities/market-data';
import { type SqlDatabase, startMessageRetention } from '@simple-securities/postgres';
import { loadConfig, type Logger } from '@simple-securities/service-kit';
import { z } from 'zod';

export const busRetentionConfigShape = {
  /** Minutes a price tick stays in the bus log (once every consumer group has read it). */
  BUS_PRICE_TICK_RETENTION_MINUTES: z.coerce.number().positive().default(60),
};

/**
 * Price ticks are the bus's bulk (tens a second) and worthless once folded into
 * candles, so they are pruned after their retention period; every other integration
 * event stays, so a consumer group added later can replay the business history.
 */
export const startBusRetention = (
  database: SqlDatabase,
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
) => {
  const config = loadConfig(busRetentionConfigShape, env);
  return startMessageRetention({
    database,
    logger,
    policy: {
      types: Object.values(PRICE_TICKED_EVENT_TYPES),
      retentionMs: config.BUS_PRICE_TICK_RETENTION_MINUTES * 60_000,
    },
  });
};
