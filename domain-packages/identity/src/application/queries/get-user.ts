import { type UserProfile, type Viewer, profileOf } from '../../domain/user.js';
import type { UserRepository } from '../ports.js';

/**
 * Any user by id (other subgraphs reference `User`), showing the viewer only what
 * `canSeePrivateDetails` allows; anonymous viewers get the public part.
 */
export const createGetUser =
  (deps: { users: UserRepository }) =>
  async (id: string, viewer: Viewer | undefined): Promise<UserProfile | undefined> => {
    const user = await deps.users.findById(id);
    return user && profileOf(user, viewer);
  };
