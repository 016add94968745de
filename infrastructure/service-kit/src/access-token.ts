import { errors } from 'jose';
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

/** The caller a token speaks for; UNAUTHENTICATED when it is malformed, forged or expired. */
export const verifyAccessToken = async (token: string, secret: string): Promise<Caller> => {
  try {
    return await verifyCallerJwt(token, scopeOf(secret));
  } catch (error) {
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
