import type { IncomingHttpHeaders } from 'node:http';
import { DomainError } from '@simple-securities/shared-kernel';

import type { Caller } from './caller-identity.js';
import { signCallerJwt, verifyCallerJwt } from './caller-jwt.js';

export type { Caller };

/**
 * The router verifies the client's JWT once and forwards the identity to each
 * subgraph as a caller assertion: a JWT it signs with the internal service token,
 * addressed to that one subgraph and valid for a minute. A client talking to a
 * subgraph directly cannot make one without the token, and one captured on its
 * way to a subgraph is worthless at another or a minute later.
 * See docs/adr/0007-signed-caller-assertions.md.
 */
export const CALLER_ASSERTION_HEADER = 'x-caller-assertion';

const ISSUER = 'simple-securities/router';
const LIFETIME_SECONDS = 60;
/** An assertion is reused while it has at least this long to live, so a busy caller costs one signature per half-minute. */
const REUSE_SECONDS = LIFETIME_SECONDS / 2;
const CLOCK_TOLERANCE_SECONDS = 5;
const MAX_CACHED_ASSERTIONS = 10_000;

/** One string per distinct identity: callers with the same key may share upstream work. */
export const callerKey = (caller: Caller | undefined): string =>
  caller ? `${caller.userId}|${caller.roles.join(',')}|${caller.permissions.join(',')}` : '';

const cache = new Map<string, { readonly token: string; readonly reuseUntil: number }>();

/** A caller assertion for `audience` (a subgraph's name), signed with the internal service token. */
export const signCallerAssertion = async (
  caller: Caller,
  internalToken: string,
  audience: string,
): Promise<string> => {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const cacheKey = `${audience}\u0000${callerKey(caller)}\u0000${internalToken}`;
  const cached = cache.get(cacheKey);
  if (cached && cached.reuseUntil > nowSeconds) return cached.token;
  const token = await signCallerJwt(
    caller,
    { key: internalToken, issuer: ISSUER, audience },
    nowSeconds,
    LIFETIME_SECONDS,
  );
  if (cache.size >= MAX_CACHED_ASSERTIONS) cache.clear();
  cache.set(cacheKey, { token, reuseUntil: nowSeconds + REUSE_SECONDS });
  return token;
};

/** The headers (or graphql-ws connectionParams) that forward `caller` to the subgraph `audience`. */
export const callerHeaders = async (
  caller: Caller,
  internalToken: string,
  audience: string,
): Promise<Record<string, string>> => ({
  [CALLER_ASSERTION_HEADER]: await signCallerAssertion(caller, internalToken, audience),
});

/** The caller an assertion speaks for; UNAUTHENTICATED when it is forged, expired or meant for another service. */
export const verifyCallerAssertion = async (
  assertion: string,
  internalToken: string,
  audience: string,
): Promise<Caller> => {
  try {
    return await verifyCallerJwt(
      assertion,
      { key: internalToken, issuer: ISSUER, audience },
      { clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS },
    );
  } catch {
    throw new DomainError(
      'UNAUTHENTICATED',
      'The forwarded caller assertion does not verify: it is forged, expired or addressed to another service.',
    );
  }
};

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * The forwarded caller: undefined for an anonymous request; UNAUTHENTICATED when
 * the request carries an assertion that does not verify.
 */
export const callerFromHeaders = async (
  headers: IncomingHttpHeaders,
  internalToken: string,
  audience: string,
): Promise<Caller | undefined> => {
  const assertion = header(headers, CALLER_ASSERTION_HEADER);
  return assertion ? verifyCallerAssertion(assertion, internalToken, audience) : undefined;
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
