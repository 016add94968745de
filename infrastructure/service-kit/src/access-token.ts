import { SignJWT, jwtVerify, errors } from 'jose';
import { z } from 'zod';
import { DomainError } from '@simple-securities/shared-kernel';
import type { Caller } from './caller.js';
import { DEVELOPMENT_SECRETS } from './config.js';
import { hmacKeyOf } from './hmac-key.js';

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
    .sign(hmacKeyOf(secret));
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
    const { payload } = await jwtVerify(token, hmacKeyOf(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      currentDate: now,
      requiredClaims: ['exp'],
    });
    const claims = claimsSchema.parse(payload);
    const caller = { userId: claims.sub, roles: claims.roles, permissions: claims.permissions };
    if (!remembered) verifiedTokens.set(secret, (remembered = new Map()));
    if (remembered.size >= MAX_REMEMBERED_TOKENS) remembered.clear();
    remembered.set(token, { caller, expiresAtMs: (payload.exp ?? 0) * 1000 });
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
