import { z } from 'zod';
import {
  marketDataRetentionConfig,
  simulatedPriceFeedConfig,
} from '@simple-securities/market-data-adapters';

/**
 * The variables only the stock context reads (the service kit reads where it
 * listens). Stock prices are always simulated, so `PRICE_FEED` is crypto's alone.
 */
export const stockConfig = {
  ...marketDataRetentionConfig,
  ...simulatedPriceFeedConfig,
  /** `true` keeps the stock market open around the clock, for demos and tests. */
  STOCK_MARKET_ALWAYS_OPEN: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
};

export type StockConfig = z.infer<z.ZodObject<typeof stockConfig>>;
