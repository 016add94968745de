import { describe, expect, it } from '@jest/globals';
import { rehydrate } from '@simple-securities/shared-kernel';
import { given } from '@simple-securities/shared-kernel/testing';
import { getAsset } from './asset.js';
import { totalOf, walletDecider as deciderFor } from './wallet.js';

// Two decimal places, so one unit is one cent.
const walletDecider = deciderFor(getAsset('USD'));

const deposited = (amount: bigint) => ({ type: 'FundsDeposited', amount }) as const;
const reserved = (amount: bigint) => ({ type: 'FundsReserved', amount }) as const;

describe('a wallet', () => {
  it('takes any positive deposit', () => {
    given(walletDecider, [])
      .when({ type: 'Deposit', amount: 100n })
      .then([deposited(100n)]);
  });

  it('pays out up to what is available', () => {
    given(walletDecider, [deposited(100n)])
      .when({ type: 'Withdraw', amount: 100n })
      .then([{ type: 'FundsWithdrawn', amount: 100n }]);
  });

  it('refuses to pay out more than is available, reserved funds included', () => {
    given(walletDecider, [deposited(100n), reserved(30n)])
      .when({ type: 'Withdraw', amount: 71n })
      .thenFails('INSUFFICIENT_FUNDS', /0.71 USD requested, 0.70 available/);
  });

  it('reserves available funds and refuses to reserve more', () => {
    given(walletDecider, [deposited(100n)])
      .when({ type: 'Reserve', amount: 60n })
      .then([reserved(60n)]);
    given(walletDecider, [deposited(100n), reserved(60n)])
      .when({ type: 'Reserve', amount: 41n })
      .thenFails('INSUFFICIENT_FUNDS');
  });

  it('releases only what is reserved', () => {
    given(walletDecider, [deposited(100n), reserved(60n)])
      .when({ type: 'Release', amount: 60n })
      .then([{ type: 'FundsReleased', amount: 60n }]);
    given(walletDecider, [deposited(100n), reserved(60n)])
      .when({ type: 'Release', amount: 61n })
      .thenFails('INSUFFICIENT_FUNDS', /0.61 USD requested, 0.60 reserved/);
  });

  it('settles out of reserved funds and into available funds', () => {
    given(walletDecider, [deposited(100n), reserved(60n)])
      .when({ type: 'DebitReserved', amount: 50n })
      .then([{ type: 'ReservedFundsDebited', amount: 50n }]);
    given(walletDecider, [deposited(100n)])
      .when({ type: 'DebitReserved', amount: 1n })
      .thenFails('INSUFFICIENT_FUNDS');
    given(walletDecider, [])
      .when({ type: 'Credit', amount: 7n })
      .then([{ type: 'FundsCredited', amount: 7n }]);
  });

  it('charges a fee out of reserved funds only', () => {
    given(walletDecider, [deposited(100n), reserved(10n)])
      .when({ type: 'ChargeFee', amount: 10n })
      .then([{ type: 'FeeCharged', amount: 10n }]);
    given(walletDecider, [deposited(100n), reserved(10n)])
      .when({ type: 'ChargeFee', amount: 11n })
      .thenFails('INSUFFICIENT_FUNDS');
  });

  it('refuses a zero amount whatever the command', () => {
    given(walletDecider, [deposited(100n)])
      .when({ type: 'Reserve', amount: 0n })
      .thenFails('BAD_USER_INPUT');
  });

  it('keeps the total across reservations and releases', () => {
    const wallet = rehydrate(walletDecider, [
      deposited(100n),
      reserved(60n),
      { type: 'FundsReleased', amount: 20n },
    ]);
    expect(wallet).toEqual({ available: 60n, reserved: 40n });
    expect(totalOf(wallet)).toBe(100n);
  });
});
