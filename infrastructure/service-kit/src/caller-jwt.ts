import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';
import type { Caller } from './caller-identity.js';
import { hmacKeyOf } from './hmac-key.js';

/**
 * A caller as an HS256 JWT: `sub` is the user id, `roles` and `permissions` are
 * claims. Access tokens (core → clients → router) and caller assertions
 * (router → subgraphs) are both this, with their own issuer, audience, key and lifetime.
 */
export interface CallerJwtScope {
  readonly key: string;
  readonly issuer: string;
  readonly audience: string;
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
});

export const signCallerJwt = (
  caller: Caller,
  scope: CallerJwtScope,
  issuedAtSeconds: number,
  ttlSeconds: number,
): Promise<string> =>
  new SignJWT({ roles: [...caller.roles], permissions: [...caller.permissions] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(caller.userId)
    .setIssuer(scope.issuer)
    .setAudience(scope.audience)
    .setIssuedAt(issuedAtSeconds)
    .setExpirationTime(issuedAtSeconds + ttlSeconds)
    .sign(hmacKeyOf(scope.key));

/** The caller of a JWT; throws jose's or zod's error when it does not verify. */
export const verifyCallerJwt = async (
  token: string,
  scope: CallerJwtScope,
  { clockToleranceSeconds = 0, now }: { clockToleranceSeconds?: number; now?: Date } = {},
): Promise<Caller> => {
  const { payload } = await jwtVerify(token, hmacKeyOf(scope.key), {
    issuer: scope.issuer,
    audience: scope.audience,
    algorithms: ['HS256'],
    clockTolerance: clockToleranceSeconds,
    requiredClaims: ['exp'],
    ...(now ? { currentDate: now } : {}),
  });
  const claims = claimsSchema.parse(payload);
  return { userId: claims.sub, roles: claims.roles, permissions: claims.permissions };
};
