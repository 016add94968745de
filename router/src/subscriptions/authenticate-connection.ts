import { decodeJwt } from 'jose';
import { DomainError } from '@simple-securities/shared-kernel';
import { verifyAccessToken, type Caller } from '@simple-securities/service-kit';
import { bearerTokenOf } from '../auth/bearer-token.js';

/** Who a socket speaks for, and until when: its token's expiry closes it. */
export interface ConnectionIdentity {
  readonly caller: Caller | undefined;
  readonly expiresAt: number | undefined;
}

export type ConnectionAuthenticator = (
  params: Readonly<Record<string, unknown>> | undefined,
) => Promise<ConnectionIdentity>;

/**
 * Reads the caller from `connectionParams.authorization` (or `Authorization`),
 * exactly as the HTTP endpoint reads the header: no token is an anonymous caller
 * (unless anonymous sockets are refused), a bad one is UNAUTHENTICATED.
 */
export const connectionAuthenticator =
  (options: { jwtSecret: string; allowAnonymous: boolean }): ConnectionAuthenticator =>
  async (params) => {
    const header = params?.authorization ?? params?.Authorization;
    if (header === undefined || header === null || header === '') {
      if (!options.allowAnonymous) {
        throw new DomainError(
          'UNAUTHENTICATED',
          'Sign in first: send connectionParams.authorization = "Bearer <token>".',
        );
      }
      return { caller: undefined, expiresAt: undefined };
    }
    const token = typeof header === 'string' ? bearerTokenOf(header) : undefined;
    if (!token) {
      throw new DomainError(
        'UNAUTHENTICATED',
        'connectionParams.authorization must be "Bearer <token>".',
      );
    }
    const caller = await verifyAccessToken(token, options.jwtSecret);
    const { exp } = decodeJwt(token);
    return { caller, expiresAt: exp === undefined ? undefined : exp * 1000 };
  };
