import type { AccessTokenIssuer, Clock } from '@simple-securities/identity';
import { type AccessTokenOptions, issueAccessToken } from '@simple-securities/service-kit';

/** Signs the JWTs the router verifies with `verifyAccessToken` from the same module. */
export const jwtAccessTokenIssuer = (
  options: AccessTokenOptions,
  clock: Clock,
): AccessTokenIssuer => ({
  issue: ({ userId, roles, permissions }) =>
    issueAccessToken({ userId, roles, permissions }, options, clock.now()),
});
