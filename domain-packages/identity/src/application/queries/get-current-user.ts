import { type UserProfile, type Viewer, profileOf } from '../../domain/user.js';
import type { UserRepository } from '../ports.js';

/**
 * The signed-in user's own profile, or undefined when their account no longer exists
 * (the token outlived it). The adapter requires a caller before it gets here.
 */
export const createGetCurrentUser =
  (deps: { users: UserRepository }) =>
  async (caller: Viewer): Promise<UserProfile | undefined> => {
    const user = await deps.users.findById(caller.userId);
    return user && profileOf(user, caller);
  };
