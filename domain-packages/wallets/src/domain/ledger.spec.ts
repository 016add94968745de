import { describe, expect, it } from '@jest/globals';
import { entriesOf, imbalanceOf, requireBalanced, walletAccount } from './ledger.js';
import type { WalletEvent } from './wallet.js';

const alice = { userId: 'alice', asset: 'USD' };

describe('the ledger', () => {
  it.each<WalletEvent['type']>([
    'FundsDeposited',
    'FundsWithdrawn',
    'FundsReserved',
    'FundsReleased',
    'ReservedFundsDebited',
    'FundsCredited',
    'FeeCharged',
  ])('enters %s as a balanced pair of entries', (type) => {
    const entries = entriesOf(alice, { type, amount: 500n });
    expect(entries).toHaveLength(2);
    expect(imbalanceOf(entries).size).toBe(0);
  });

  it('takes a deposit from the bank into the available funds', () => {
    expect(entriesOf(alice, { type: 'FundsDeposited', amount: 500n })).toEqual([
      { account: 'external:bank', asset: 'USD', amount: -500n },
      { account: walletAccount('alice', 'available'), asset: 'USD', amount: 500n },
    ]);
  });

  it('moves a reservation between the wallet’s own accounts', () => {
    expect(entriesOf(alice, { type: 'FundsReserved', amount: 5n })).toEqual([
      { account: 'wallet:alice:available', asset: 'USD', amount: -5n },
      { account: 'wallet:alice:reserved', asset: 'USD', amount: 5n },
    ]);
  });

  it('balances a trade whose legs net out in every asset, and refuses one that does not', () => {
    const bob = { userId: 'bob', asset: 'USD' };
    const trade = [
      ...entriesOf(alice, { type: 'ReservedFundsDebited', amount: 100n }),
      ...entriesOf(bob, { type: 'FundsCredited', amount: 100n }),
    ];
    expect(() => requireBalanced(trade)).not.toThrow();
    expect(() => requireBalanced(trade.slice(0, 3))).toThrow(/USD off by -100 units/);
  });
});
