import { decodeJwt, errors } from 'jose';
import { z } from 'zod';
import { DomainError } from '@simple-securities/shared-kernel';
import type { Caller } from './caller-identity.js';
import { signCallerJwt, verifyCallerJwt } from './caller-jwt.js';
import { DEVELOPMENT_SECRETS } from './config.js';

/**
 * Access tokens are JWTs signed by core (HS256 with JWT_SECRET) and verified by
 * the router. Both sides use this module so they agree on claims and lifetime.
 */
const ISSUER = 'simple-securities/core';
const AUDIENCE = 'simple-securities';

export interface AccessTokenOptions {
  readonly secret: string;
  /** Lifetime in seconds. */
  readonly ttlSeconds: number;
}

const scopeOf = (secret: string) => ({ key: secret, issuer: ISSUER, audience: AUDIENCE });

export const issueAccessToken = async (
  caller: Caller,
  { secret, ttlSeconds }: AccessTokenOptions,
  now: Date = new Date(),
): Promise<{ token: string; expiresAt: Date }> => {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = new Date((issuedAt + ttlSeconds) * 1000);
  const token = await signCallerJwt(caller, scopeOf(secret), issuedAt, ttlSeconds);
  return { token, expiresAt };
};

const MAX_REMEMBERED_TOKENS = 10_000;
/** Tokens already verified, by secret, with the caller and when they expire (ms). */
const verifiedTokens = new Map<
  string,
  Map<string, { readonly caller: Caller; readonly expiresAtMs: number }>
>();

/**
 * The caller a token speaks for; UNAUTHENTICATED when it is malformed, forged or
 * expired. A token that verified is remembered until it expires, since its
 * signed claims cannot change: a client sending the same token on every
 * request pays for one HMAC and claim check, not one per request.
 */
export const verifyAccessToken = async (
  token: string,
  secret: string,
  now: Date = new Date(),
): Promise<Caller> => {
  let remembered = verifiedTokens.get(secret);
  const known = remembered?.get(token);
  if (known && known.expiresAtMs > now.getTime()) return known.caller;
  try {
    const caller = await verifyCallerJwt(token, scopeOf(secret), { now });
    if (!remembered) verifiedTokens.set(secret, (remembered = new Map()));
    if (remembered.size >= MAX_REMEMBERED_TOKENS) remembered.clear();
    remembered.set(token, { caller, expiresAtMs: (decodeJwt(token).exp ?? 0) * 1000 });
    return caller;
  } catch (error) {
    remembered?.delete(token);
    const reason =
      error instanceof errors.JWTExpired
        ? 'Your session has expired; sign in again.'
        : 'The bearer token is not valid; sign in again.';
    throw new DomainError('UNAUTHENTICATED', reason);
  }
};

export const accessTokenConfig = {
  /** Signs and verifies access tokens; set the same value for core and the router. */
  JWT_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .default(DEVELOPMENT_SECRETS.JWT_SECRET),
  JWT_TTL_SECONDS: z.coerce.number().int().positive().default(3600),
};
