import { SignJWT, jwtVerify, errors } from 'jose';
import { z } from 'zod';
import { DomainError } from '@simple-securities/shared-kernel';
import type { Caller } from './caller.js';
import { DEVELOPMENT_SECRETS } from './config.js';

/**
 * Access tokens are JWTs signed by core (HS256 with JWT_SECRET) and verified by
 * the router. Both sides use this module so they agree on claims and lifetime.
 */
const ISSUER = 'simple-securities/core';
const AUDIENCE = 'simple-securities';

const claimsSchema = z.object({
  sub: z.string().min(1),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
});

export interface AccessTokenOptions {
  readonly secret: string;
  /** Lifetime in seconds. */
  readonly ttlSeconds: number;
}

const keyOf = (secret: string) => new TextEncoder().encode(secret);

export const issueAccessToken = async (
  caller: Caller,
  { secret, ttlSeconds }: AccessTokenOptions,
  now: Date = new Date(),
): Promise<{ token: string; expiresAt: Date }> => {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = new Date((issuedAt + ttlSeconds) * 1000);
  const token = await new SignJWT({
    roles: [...caller.roles],
    permissions: [...caller.permissions],
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(caller.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(keyOf(secret));
  return { token, expiresAt };
};

/** The caller a token speaks for; UNAUTHENTICATED when it is malformed, forged or expired. */
export const verifyAccessToken = async (token: string, secret: string): Promise<Caller> => {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    const claims = claimsSchema.parse(payload);
    return { userId: claims.sub, roles: claims.roles, permissions: claims.permissions };
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
