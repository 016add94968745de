import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { DomainError } from '@simple-securities/shared-kernel';

/** Who is calling, as verified by the router from the caller's JWT. */
export interface Caller {
  readonly userId: string;
  readonly roles: readonly string[];
  readonly permissions: readonly string[];
}

/**
 * The router verifies the JWT once and forwards the identity in these headers.
 * Subgraphs trust them only together with the internal service token, so a
 * client talking to a subgraph directly cannot claim to be someone else.
 */
export const CALLER_HEADERS = {
  internalToken: 'x-internal-token',
  userId: 'x-caller-id',
  roles: 'x-caller-roles',
  permissions: 'x-caller-permissions',
} as const;

export const callerHeaders = (caller: Caller, internalToken: string): Record<string, string> => ({
  [CALLER_HEADERS.internalToken]: internalToken,
  [CALLER_HEADERS.userId]: caller.userId,
  [CALLER_HEADERS.roles]: caller.roles.join(','),
  [CALLER_HEADERS.permissions]: caller.permissions.join(','),
});

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const list = (value: string | undefined): string[] =>
  value ? value.split(',').filter(Boolean) : [];

/** The forwarded caller, or undefined for an anonymous request or one not sent by the router. */
export const callerFromHeaders = (
  headers: IncomingHttpHeaders,
  internalToken: string,
): Caller | undefined => {
  const token = header(headers, CALLER_HEADERS.internalToken);
  const userId = header(headers, CALLER_HEADERS.userId);
  if (!token || !userId || !sameSecret(token, internalToken)) return undefined;
  return {
    userId,
    roles: list(header(headers, CALLER_HEADERS.roles)),
    permissions: list(header(headers, CALLER_HEADERS.permissions)),
  };
};

export const requireCaller = (caller: Caller | undefined): Caller => {
  if (!caller)
    throw new DomainError('UNAUTHENTICATED', 'Sign in first: this needs a valid bearer token.');
  return caller;
};

export const requirePermission = (caller: Caller | undefined, permission: string): Caller => {
  const signedIn = requireCaller(caller);
  if (!signedIn.permissions.includes(permission)) {
    throw new DomainError('FORBIDDEN', `You do not have the "${permission}" permission.`);
  }
  return signedIn;
};
