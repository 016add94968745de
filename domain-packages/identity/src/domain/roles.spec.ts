import { describe, it, expect } from '@jest/globals';
import { PERMISSIONS, permissionsOf } from './roles.js';

describe('roles and permissions', () => {
  it('gives ADMIN every permission in the catalogue', () => {
    expect(permissionsOf(['ADMIN'])).toEqual([...PERMISSIONS]);
  });

  it('gives USER what a trader needs and nothing administrative', () => {
    const granted = permissionsOf(['USER']);
    expect(granted).toEqual(
      expect.arrayContaining([
        'users:read',
        'wallets:deposit',
        'orders:place',
        'notifications:read',
      ]),
    );
    expect(granted.filter((permission) => permission.startsWith('admin:'))).toEqual([]);
  });

  it('lists each permission once when roles overlap', () => {
    expect(permissionsOf(['USER', 'ADMIN'])).toEqual([...PERMISSIONS]);
    expect(permissionsOf([])).toEqual([]);
  });
});
