import { type User, permissionsOfUser } from '../domain/user.js';
import type { AuthResult } from './auth-result.js';
import type { AccessTokenIssuer } from './ports.js';

export const issueTokenFor = async (tokens: AccessTokenIssuer, user: User): Promise<AuthResult> => {
  const { token, expiresAt } = await tokens.issue({
    userId: user.id,
    roles: user.roles,
    permissions: permissionsOfUser(user),
  });
  return { token, expiresAt, user };
};
