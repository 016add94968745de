import { z } from 'zod';
import {
  marketDataRetentionConfig,
  simulatedPriceFeedConfig,
} from '@simple-securities/market-data-adapters';
import { feeRate, orderEntryConfig } from '@simple-securities/trading-adapters';

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
  ...orderEntryConfig,
  /** Fractions of a stock trade's notional, charged to the resting (maker) and the taking (taker) side. */
  STOCK_MAKER_FEE: feeRate.default('0.0005'),
  STOCK_TAKER_FEE: feeRate.default('0.001'),
};

export type StockConfig = z.infer<z.ZodObject<typeof stockConfig>>;
