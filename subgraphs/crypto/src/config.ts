import { z } from 'zod';
import { marketDataRetentionConfigShape } from '@simple-securities/market-data-adapters';
import { commonConfig, port } from '@simple-securities/service-kit';

/** The crypto subgraph's settings, from the environment. */
export const cryptoConfigShape = {
  ...commonConfig,
  ...marketDataRetentionConfigShape,
  CRYPTO_PORT: port(4002),
  HOST: z.string().default('127.0.0.1'),
  /** `simulator` (default, offline) or `binance` (live trades from Binance's public stream). */
  PRICE_FEED: z.enum(['simulator', 'binance']).default('simulator'),
  /** Same seed, same simulated prices. */
  PRICE_FEED_SEED: z.coerce.number().int().default(1),
  /** Simulated trades per second for each pair. */
  PRICE_TICK_RATE: z.coerce.number().positive().max(100).default(2),
  BINANCE_WS_URL: z.url({ protocol: /^wss?$/ }).default('wss://stream.binance.com:9443'),
  /** Which Binance payload to follow: every `trade`, or one-minute `kline` updates. */
  BINANCE_STREAM: z.enum(['trade', 'kline']).default('trade'),
  /** Seconds without any frame after which the Binance connection counts as dead. */
  BINANCE_STALE_AFTER_SECONDS: z.coerce.number().positive().default(60),
};

export type CryptoConfig = z.infer<z.ZodObject<typeof cryptoConfigShape>>;
