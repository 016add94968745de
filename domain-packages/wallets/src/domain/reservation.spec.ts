import { describe, expect, it } from '@jest/globals';
import { getAsset } from './asset.js';
import { releasableAmount } from './reservation.js';

const USD = getAsset('USD');
const held = { id: 'r-1', userId: 'alice', asset: 'USD', amount: 1_000n, remaining: 400n };

describe('a reservation', () => {
  it('releases everything still held unless told how much', () => {
    expect(releasableAmount(USD, held)).toBe(400n);
    expect(releasableAmount(USD, held, 150n)).toBe(150n);
  });

  it('never releases more than it still holds', () => {
    expect(() => releasableAmount(USD, held, 401n)).toThrow(/holds only 4.00 USD/);
    expect(() => releasableAmount(USD, { ...held, remaining: 0n })).toThrow(/holds nothing/);
  });
});
