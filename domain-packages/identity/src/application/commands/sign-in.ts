import { DomainError } from '@simple-securities/shared-kernel';
import { isEmail, parseEmail } from '../../domain/email.js';
import type { Password } from '../../domain/password.js';
import type { AuthResult } from '../auth-result.js';
import { issueTokenFor } from '../issue-token-for.js';
import type { AccessTokenIssuer, PasswordHasher, UserRepository } from '../ports.js';

export interface SignInInput {
  readonly email: string;
  readonly password: string;
}

/** Never says which half was wrong: that would tell an attacker which emails have accounts. */
export const wrongCredentials = () =>
  new DomainError('UNAUTHENTICATED', 'Wrong email or password.');

/** Signs a user in with email and password. */
export const createSignIn = (deps: {
  users: UserRepository;
  hasher: PasswordHasher;
  tokens: AccessTokenIssuer;
}) => {
  // Unknown emails are checked against this hash too, so both failures take as long.
  let decoyHash: Promise<string> | undefined;
  const decoy = () => (decoyHash ??= deps.hasher.hash('decoy-password-never-used' as Password));

  return async (input: SignInInput): Promise<AuthResult> => {
    const user = isEmail(input.email)
      ? await deps.users.findByEmail(parseEmail(input.email))
      : undefined;
    const matches = await deps.hasher.verify(input.password, user?.passwordHash ?? (await decoy()));
    if (!user || !matches) throw wrongCredentials();
    return issueTokenFor(deps.tokens, user);
  };
};
