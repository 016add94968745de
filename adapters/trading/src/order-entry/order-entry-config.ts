import { z } from 'zod';

/** A fee as a plain decimal fraction below one, e.g. 0.001 for 0.1 %; never a float. */
export const feeRate = z
  .string()
  .regex(/^0(\.\d{1,8})?$/, 'must be a decimal fraction such as 0.001');

const basisPoints = z.coerce.number().int().min(0).max(5_000);

/** How the liquidity provider quotes every book of the context (ADR 0027). */
export const liquidityProviderConfig = {
  /**
   * Quotes the books from the provider's own account. Off unless set: `npm start` turns
   * it on with the demo data (which funds the account), tests and benchmarks leave it off.
   */
  LIQUIDITY_PROVIDER_ENABLED: z.stringbool().default(false),
  /** Price levels on each side of every book. */
  LIQUIDITY_PROVIDER_LEVELS: z.coerce.number().int().min(1).max(20).default(3),
  /** From the last price to the first bid and the first ask. */
  LIQUIDITY_PROVIDER_SPREAD_BPS: basisPoints.default(10),
  /** Between neighbouring levels of one side. */
  LIQUIDITY_PROVIDER_LEVEL_SPACING_BPS: basisPoints.default(10),
  /** What each level is worth in the quote currency (USDT, USD). */
  LIQUIDITY_PROVIDER_LEVEL_NOTIONAL: z
    .string()
    .regex(/^\d+(\.\d{1,6})?$/, 'must be a decimal amount such as 2000')
    .default('2000'),
  /** How far the last price moves before the quotes follow it. */
  LIQUIDITY_PROVIDER_REQUOTE_BPS: basisPoints.default(5),
  /** How often the provider looks at the prices and its quotes. */
  LIQUIDITY_PROVIDER_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
};

export type LiquidityProviderConfig = z.infer<z.ZodObject<typeof liquidityProviderConfig>>;

/** The variables every context that takes orders reads, beside its own fee rates. */
export const orderEntryConfig = {
  /** host:port of core's gRPC funds service when the context runs alone; the launcher passes core's. */
  FUNDS_GRPC_ADDRESS: z.string().min(1).default('127.0.0.1:4011'),
  ...liquidityProviderConfig,
};
