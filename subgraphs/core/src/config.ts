import { z } from 'zod';
import { accessTokenConfig, commonConfig, port } from '@simple-securities/service-kit';

/** What the core service needs, whoever starts it. */
export const coreServiceConfig = {
  ...commonConfig,
  ...accessTokenConfig,
  PORT: port(4001),
  HOST: z.string().default('127.0.0.1'),
  /** Creates alice, bob and admin (see src/seed/demo-users.ts) when missing. */
  SEED_DEMO_USERS: z.stringbool().default(false),
};

export type CoreServiceConfig = z.infer<z.ZodObject<typeof coreServiceConfig>>;
