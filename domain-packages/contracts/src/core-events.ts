import { z } from 'zod';

/**
 * The published language of the core context: integration events other contexts
 * may consume. Each type name carries its version; a breaking change to `data`
 * is a new type (`…v2`), published beside the old one until consumers move.
 * Consumers parse `data` with the schema: the bus is an edge like any other, and
 * an event that does not match is retried and then parked as a dead letter.
 */
export const USER_REGISTERED = 'core.user.registered.v1';

export const userRegisteredV1 = z.object({
  userId: z.string().min(1),
  displayName: z.string().min(1),
  /** ISO-8601 UTC. */
  registeredAt: z.iso.datetime(),
});

export type UserRegisteredV1 = z.infer<typeof userRegisteredV1>;

export const CORE_SOURCE = '/core';
