import { z } from 'zod';
import { marketDataRetentionConfigShape } from '@simple-securities/market-data-adapters';
import { commonConfig, port } from '@simple-securities/service-kit';

/** The stock subgraph's settings, from the environment. */
export const stockConfigShape = {
  ...commonConfig,
  ...marketDataRetentionConfigShape,
  STOCK_PORT: port(4003),
  HOST: z.string().default('127.0.0.1'),
  /** Stocks are simulated; there is no live stock feed. */
  PRICE_FEED: z.literal('simulator').default('simulator'),
  PRICE_FEED_SEED: z.coerce.number().int().default(1),
  /** Simulated trades per second for each stock while its market is open. */
  PRICE_TICK_RATE: z.coerce.number().positive().max(100).default(2),
  /** `true` keeps the stock market open around the clock, for demos and tests. */
  STOCK_MARKET_ALWAYS_OPEN: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
};

export type StockConfig = z.infer<z.ZodObject<typeof stockConfigShape>>;
