import { DomainError } from '@simple-securities/shared-kernel';
import { parseDisplayName } from '../../domain/display-name.js';
import { parseEmail } from '../../domain/email.js';
import { parsePassword } from '../../domain/password.js';
import { registerUser } from '../../domain/user.js';
import type { AuthResult } from '../auth-result.js';
import { issueTokenFor } from '../issue-token-for.js';
import type {
  AccessTokenIssuer,
  Clock,
  IdGenerator,
  PasswordHasher,
  UserRepository,
} from '../ports.js';

export interface SignUpInput {
  readonly email: string;
  readonly password: string;
  readonly displayName: string;
}

export const emailTaken = () =>
  new DomainError('CONFLICT', 'An account with this email already exists; sign in instead.', {
    field: 'email',
  });

/** Opens an account and signs the new user in. */
export const createSignUp =
  (deps: {
    users: UserRepository;
    hasher: PasswordHasher;
    tokens: AccessTokenIssuer;
    clock: Clock;
    ids: IdGenerator;
  }) =>
  async (input: SignUpInput): Promise<AuthResult> => {
    const email = parseEmail(input.email);
    const password = parsePassword(input.password, input.email);
    const displayName = parseDisplayName(input.displayName);
    if (await deps.users.findByEmail(email)) throw emailTaken();

    const { user, registered } = registerUser({
      id: deps.ids.newId(),
      email,
      displayName,
      passwordHash: await deps.hasher.hash(password),
      createdAt: deps.clock.now(),
    });
    await deps.users.add(user, registered);
    return issueTokenFor(deps.tokens, user);
  };
