import type { DisplayName } from './display-name.js';
import type { Email } from './email.js';
import { type Permission, type Role, permissionsOf } from './roles.js';

/** A person with an account. The password hash is opaque to the domain: only the hasher reads it. */
export interface User {
  readonly id: string;
  readonly email: Email;
  readonly displayName: DisplayName;
  readonly passwordHash: string;
  readonly roles: readonly Role[];
  readonly createdAt: Date;
}

/** A new account was opened; other contexts react to it (a welcome notification, wallets). */
export interface UserRegistered {
  readonly type: 'UserRegistered';
  readonly userId: string;
  readonly displayName: DisplayName;
  readonly registeredAt: Date;
}

export const registerUser = (details: {
  id: string;
  email: Email;
  displayName: DisplayName;
  passwordHash: string;
  createdAt: Date;
  roles?: readonly Role[];
}): { user: User; registered: UserRegistered } => ({
  user: {
    id: details.id,
    email: details.email,
    displayName: details.displayName,
    passwordHash: details.passwordHash,
    // Everyone signs up as a plain user; admins are made by seeding or by an admin.
    roles: details.roles ?? ['USER'],
    createdAt: details.createdAt,
  },
  registered: {
    type: 'UserRegistered',
    userId: details.id,
    displayName: details.displayName,
    registeredAt: details.createdAt,
  },
});

export const permissionsOfUser = (user: Pick<User, 'roles'>): Permission[] =>
  permissionsOf(user.roles);

/** Who is looking at a user; the caller identity the router forwards has this shape. */
export interface Viewer {
  readonly userId: string;
  readonly permissions: readonly string[];
}

/**
 * Email, roles and permissions are private: only the user and those allowed to
 * administer users see them. Everyone else sees the id, display name and join date.
 */
export const canSeePrivateDetails = (viewer: Viewer | undefined, user: Pick<User, 'id'>) =>
  viewer !== undefined &&
  (viewer.userId === user.id || viewer.permissions.includes('admin:users:read'));

/** A user as one viewer may see them; private fields are absent for everyone else. */
export interface UserProfile {
  readonly id: string;
  readonly displayName: DisplayName;
  readonly createdAt: Date;
  readonly email?: Email;
  readonly roles?: readonly Role[];
  readonly permissions?: readonly Permission[];
}

export const profileOf = (user: User, viewer: Viewer | undefined): UserProfile => {
  const shared = { id: user.id, displayName: user.displayName, createdAt: user.createdAt };
  return canSeePrivateDetails(viewer, user)
    ? { ...shared, email: user.email, roles: user.roles, permissions: permissionsOfUser(user) }
    : shared;
};
