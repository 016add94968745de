import { type Decider, DomainError } from '@simple-securities/shared-kernel';
import { type Units, formatUnits } from './amount.js';
import type { Asset } from './asset.js';

/**
 * One user's balance in one asset. `available` can be withdrawn or reserved;
 * `reserved` is held for open orders until it is released or settled. Neither is
 * ever negative.
 */
export interface WalletBalance {
  readonly available: Units;
  readonly reserved: Units;
}

export const EMPTY_WALLET: WalletBalance = { available: 0n, reserved: 0n };

export const totalOf = (wallet: WalletBalance): Units => wallet.available + wallet.reserved;

/** What can happen to a wallet; amounts are positive units, validated before they get here. */
export type WalletCommand =
  | { readonly type: 'Deposit'; readonly amount: Units }
  | { readonly type: 'Withdraw'; readonly amount: Units }
  | { readonly type: 'Reserve'; readonly amount: Units }
  | { readonly type: 'Release'; readonly amount: Units }
  /** A settlement takes reserved funds away (what a buyer pays, what a seller delivers). */
  | { readonly type: 'DebitReserved'; readonly amount: Units }
  /** A settlement pays into available funds (what a trade brings in). */
  | { readonly type: 'Credit'; readonly amount: Units }
  /** A settlement's fee, taken out of reserved funds. */
  | { readonly type: 'ChargeFee'; readonly amount: Units };

export type WalletEvent =
  | { readonly type: 'FundsDeposited'; readonly amount: Units }
  | { readonly type: 'FundsWithdrawn'; readonly amount: Units }
  | { readonly type: 'FundsReserved'; readonly amount: Units }
  | { readonly type: 'FundsReleased'; readonly amount: Units }
  | { readonly type: 'ReservedFundsDebited'; readonly amount: Units }
  | { readonly type: 'FundsCredited'; readonly amount: Units }
  | { readonly type: 'FeeCharged'; readonly amount: Units };

const insufficient = (asset: Asset, wanted: Units, have: Units, held: 'available' | 'reserved') =>
  new DomainError(
    'INSUFFICIENT_FUNDS',
    `Insufficient funds: ${formatUnits(asset, wanted)} ${asset.code} requested, ${formatUnits(asset, have)} ${held}.`,
    { asset: asset.code, requested: formatUnits(asset, wanted), [held]: formatUnits(asset, have) },
  );

const requirePositive = (amount: Units) => {
  if (amount <= 0n) throw new DomainError('BAD_USER_INPUT', 'Amount must be greater than zero.');
};

const decideFor =
  (asset: Asset) =>
  (command: WalletCommand, wallet: WalletBalance): WalletEvent[] => {
    requirePositive(command.amount);
    switch (command.type) {
      case 'Deposit':
        return [{ type: 'FundsDeposited', amount: command.amount }];
      case 'Withdraw':
        if (command.amount > wallet.available)
          throw insufficient(asset, command.amount, wallet.available, 'available');
        return [{ type: 'FundsWithdrawn', amount: command.amount }];
      case 'Reserve':
        if (command.amount > wallet.available)
          throw insufficient(asset, command.amount, wallet.available, 'available');
        return [{ type: 'FundsReserved', amount: command.amount }];
      case 'Release':
        if (command.amount > wallet.reserved)
          throw insufficient(asset, command.amount, wallet.reserved, 'reserved');
        return [{ type: 'FundsReleased', amount: command.amount }];
      case 'DebitReserved':
        if (command.amount > wallet.reserved)
          throw insufficient(asset, command.amount, wallet.reserved, 'reserved');
        return [{ type: 'ReservedFundsDebited', amount: command.amount }];
      case 'Credit':
        return [{ type: 'FundsCredited', amount: command.amount }];
      case 'ChargeFee':
        if (command.amount > wallet.reserved)
          throw insufficient(asset, command.amount, wallet.reserved, 'reserved');
        return [{ type: 'FeeCharged', amount: command.amount }];
    }
  };

const evolve = (wallet: WalletBalance, event: WalletEvent): WalletBalance => {
  const { available, reserved } = wallet;
  switch (event.type) {
    case 'FundsDeposited':
    case 'FundsCredited':
      return { available: available + event.amount, reserved };
    case 'FundsWithdrawn':
      return { available: available - event.amount, reserved };
    case 'FundsReserved':
      return { available: available - event.amount, reserved: reserved + event.amount };
    case 'FundsReleased':
      return { available: available + event.amount, reserved: reserved - event.amount };
    case 'ReservedFundsDebited':
    case 'FeeCharged':
      return { available, reserved: reserved - event.amount };
  }
};

/** A wallet in one asset as pure functions: the only place that says what a balance may do. */
export const walletDecider = (
  asset: Asset,
): Decider<WalletCommand, WalletBalance, WalletEvent> => ({
  initialState: EMPTY_WALLET,
  decide: decideFor(asset),
  evolve,
});
