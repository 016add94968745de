import { describe, expect, it } from '@jest/globals';
import { effectivePermissions, parsePermission, parseRole } from './permission-grants.js';

describe('permission grants', () => {
  it('adds a granted permission to what the roles give', () => {
    expect(
      effectivePermissions(['USER'], [{ permission: 'admin:ledger:read', granted: true }]),
    ).toContain('admin:ledger:read');
  });

  it('withholds a revoked permission even when a role gives it', () => {
    const permissions = effectivePermissions(
      ['USER'],
      [{ permission: 'wallets:withdraw', granted: false }],
    );
    expect(permissions).not.toContain('wallets:withdraw');
    expect(permissions).toContain('wallets:deposit');
  });

  it('refuses permissions and roles nobody defined', () => {
    expect(() => parsePermission('wallets:steal')).toThrow(/Unknown permission/);
    expect(() => parseRole('ROOT')).toThrow(/Unknown role "ROOT"/);
    expect(parsePermission('orders:place')).toBe('orders:place');
  });
});
