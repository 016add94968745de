import { z } from 'zod';
import {
  marketDataRetentionConfig,
  simulatedPriceFeedConfig,
} from '@simple-securities/market-data-adapters';
import { feeRate, orderEntryConfig } from '@simple-securities/trading-adapters';

/** The variables only the crypto context reads (the service kit reads where it listens). */
export const cryptoConfig = {
  ...marketDataRetentionConfig,
  ...simulatedPriceFeedConfig,
  /** `simulator` (default, offline) or `binance` (live trades from Binance's public stream). */
  PRICE_FEED: z.enum(['simulator', 'binance']).default('simulator'),
  BINANCE_WS_URL: z.url({ protocol: /^wss?$/ }).default('wss://stream.binance.com:9443'),
  /** Which Binance payload to follow: every `trade`, or one-minute `kline` updates. */
  BINANCE_STREAM: z.enum(['trade', 'kline']).default('trade'),
  /** Seconds without any frame after which the Binance connection counts as dead. */
  BINANCE_STALE_AFTER_SECONDS: z.coerce.number().positive().default(60),

  ...orderEntryConfig,
  /** Fractions of a trade's notional, charged to the resting (maker) and the taking (taker) side. */
  SPOT_MAKER_FEE: feeRate.default('0.0005'),
  SPOT_TAKER_FEE: feeRate.default('0.001'),
};

export type CryptoConfig = z.infer<z.ZodObject<typeof cryptoConfig>>;
