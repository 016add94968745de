import { z } from 'zod';
import { defaultSignInThrottlePolicy } from '@simple-securities/identity';
import { accessTokenConfig, port, redisConfig } from '@simple-securities/service-kit';

const positive = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The variables only the core context reads (the service kit reads where it listens). */
export const coreConfig = {
  ...accessTokenConfig,
  ...redisConfig,
  /** Failed sign-ins of one email after which it is locked out (see SIGN_IN_LOCKOUT_MS). */
  SIGN_IN_MAX_FAILURES_PER_ACCOUNT: positive(defaultSignInThrottlePolicy.maxFailuresPerAccount),
  /** Failed sign-ins from one client address after which it is locked out. */
  SIGN_IN_MAX_FAILURES_PER_ADDRESS: positive(defaultSignInThrottlePolicy.maxFailuresPerAddress),
  /** The first lockout; each further failure doubles it, up to SIGN_IN_MAX_LOCKOUT_MS. */
  SIGN_IN_LOCKOUT_MS: positive(defaultSignInThrottlePolicy.firstLockoutMs),
  SIGN_IN_MAX_LOCKOUT_MS: positive(defaultSignInThrottlePolicy.maxLockoutMs),
  /** The internal gRPC funds service (proto/funds/v1/funds.proto); 0 picks a free port. */
  FUNDS_GRPC_PORT: port(4011),
  /**
   * Creates alice, bob and admin (see src/seed/demo-users.ts) and their opening
   * balances when missing, however core is started, so the README's demo users
   * exist. On by default, except under NODE_ENV=production (see `seedsDemoData`
   * in the service kit).
   */
  SEED_DEMO_DATA: z.stringbool().optional(),
  NODE_ENV: z.string().optional(),
};

export type CoreConfig = z.infer<z.ZodObject<typeof coreConfig>>;
