import type { User } from '../domain/user.js';

/** What signing up or in gives back: a bearer token for the router and who it speaks for. */
export interface AuthResult {
  readonly token: string;
  readonly expiresAt: Date;
  readonly user: User;
}
