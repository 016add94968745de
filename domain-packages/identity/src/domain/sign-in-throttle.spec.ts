import { describe, expect, it } from '@jest/globals';
import { lockoutAfter } from './sign-in-throttle.js';

const policy = { firstLockoutMs: 1_000, maxLockoutMs: 60_000 };

describe('sign-in lockout', () => {
  it('does not lock a source out below the number of failures allowed', () => {
    expect([1, 2, 4].map((failures) => lockoutAfter(failures, 5, policy))).toEqual([0, 0, 0]);
  });

  it('locks it out from the last failure allowed, for a window that doubles each failure', () => {
    expect([5, 6, 7, 8].map((failures) => lockoutAfter(failures, 5, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000,
    ]);
  });

  it('never for longer than the longest lockout, however many failures', () => {
    expect(lockoutAfter(12, 5, policy)).toBe(60_000);
    expect(lockoutAfter(10_000, 5, policy)).toBe(60_000);
  });
});
