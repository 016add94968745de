import { z } from 'zod';

/** A fee as a plain decimal fraction below one, e.g. 0.001 for 0.1 %; never a float. */
export const feeRate = z
  .string()
  .regex(/^0(\.\d{1,8})?$/, 'must be a decimal fraction such as 0.001');

/** The variables every context that takes orders reads, beside its own fee rates. */
export const orderEntryConfig = {
  /** host:port of core's gRPC funds service when the context runs alone; the launcher passes core's. */
  FUNDS_GRPC_ADDRESS: z.string().min(1).default('127.0.0.1:4011'),
};
