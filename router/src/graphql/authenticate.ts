import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { isDomainError } from '@simple-securities/shared-kernel';
import { type Caller, verifyAccessToken } from '@simple-securities/service-kit';
import { bearerTokenOf } from '../auth/bearer-token.js';

/**
 * A rejected token answers HTTP 401 with `WWW-Authenticate` (RFC 6750) and a
 * GraphQL error coded UNAUTHENTICATED: clients and proxies can react to the
 * status (refresh the token, sign in again), and GraphQL clients still get an
 * `errors` array to read.
 */
const unauthenticated = (message: string) =>
  new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: {
        status: 401,
        headers: new HeaderMap([['www-authenticate', 'Bearer error="invalid_token"']]),
      },
    },
  });

/**
 * The caller a request speaks for: undefined when it sends no Authorization
 * header (subgraphs decide what an anonymous caller may do), and an
 * UNAUTHENTICATED error when it sends one that is not a valid bearer token.
 */
export const authenticate = async (
  authorization: string | undefined,
  jwtSecret: string,
): Promise<Caller | undefined> => {
  if (authorization === undefined || authorization.trim() === '') return undefined;
  const token = bearerTokenOf(authorization);
  if (!token) {
    throw unauthenticated('Send the access token as "Authorization: Bearer <token>".');
  }
  try {
    return await verifyAccessToken(token, jwtSecret);
  } catch (error) {
    if (isDomainError(error)) throw unauthenticated(error.message);
    throw error;
  }
};
