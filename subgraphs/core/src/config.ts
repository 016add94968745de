import { z } from 'zod';
import { accessTokenConfig, port } from '@simple-securities/service-kit';

/** The variables only the core context reads (the service kit reads where it listens). */
export const coreConfig = {
  ...accessTokenConfig,
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
