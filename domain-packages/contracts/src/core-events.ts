/**
 * The published language of the core context: integration events other contexts
 * may consume. Each type name carries its version; a breaking change to `data`
 * is a new type (`…v2`), published beside the old one until consumers move.
 */
export const USER_REGISTERED = 'core.user.registered.v1';

export interface UserRegisteredV1 {
  readonly userId: string;
  readonly displayName: string;
  /** ISO-8601 UTC. */
  readonly registeredAt: string;
}

export const CORE_SOURCE = '/core';
