import { describe, expect, it } from '@jest/globals';
import { requireSettlementNets } from './settlement.js';

describe('a settlement', () => {
  it('nets out when what leaves reservations arrives in wallets, per asset', () => {
    expect(() =>
      requireSettlementNets(
        [
          { asset: 'USDT', amount: 1_000n },
          { asset: 'BTC', amount: 1n },
        ],
        [
          { asset: 'BTC', amount: 1n },
          { asset: 'USDT', amount: 600n },
          { asset: 'USDT', amount: 400n },
        ],
      ),
    ).not.toThrow();
  });

  it('refuses legs that create or destroy money, and no legs at all', () => {
    expect(() =>
      requireSettlementNets([{ asset: 'USDT', amount: 1_000n }], [{ asset: 'USDT', amount: 999n }]),
    ).toThrow(/USDT 1 units/);
    expect(() => requireSettlementNets([], [])).toThrow(/needs legs/);
  });
});
