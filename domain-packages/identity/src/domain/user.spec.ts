import { describe, it, expect } from '@jest/globals';
import { parseDisplayName } from './display-name.js';
import { parseEmail } from './email.js';
import { canSeePrivateDetails, permissionsOfUser, registerUser } from './user.js';

const { user, registered } = registerUser({
  id: 'u-1',
  email: parseEmail('alice@example.com'),
  displayName: parseDisplayName('Alice'),
  passwordHash: 'hash',
  createdAt: new Date('2026-01-01T00:00:00Z'),
});

describe('User', () => {
  it('announces the registration without private details', () => {
    expect(registered).toEqual({
      type: 'UserRegistered',
      userId: 'u-1',
      displayName: 'Alice',
      registeredAt: new Date('2026-01-01T00:00:00Z'),
    });
  });

  it('signs up as a plain USER', () => {
    expect(user.roles).toEqual(['USER']);
    expect(permissionsOfUser(user)).toContain('orders:place');
    expect(permissionsOfUser(user)).not.toContain('admin:users:read');
  });

  it('shows private details to the user themself and to user administrators only', () => {
    expect(canSeePrivateDetails({ userId: 'u-1', permissions: [] }, user)).toBe(true);
    expect(canSeePrivateDetails({ userId: 'u-2', permissions: ['admin:users:read'] }, user)).toBe(
      true,
    );
    expect(canSeePrivateDetails({ userId: 'u-2', permissions: ['users:read'] }, user)).toBe(false);
    expect(canSeePrivateDetails(undefined, user)).toBe(false);
  });
});
