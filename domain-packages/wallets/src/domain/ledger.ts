import { DomainError } from '@simple-securities/shared-kernel';
import type { Units } from './amount.js';
import type { WalletEvent } from './wallet.js';

/**
 * Double entry: every movement is one transaction of entries whose amounts sum to zero
 * per asset. A positive amount increases the account's balance, a negative one
 * decreases it. Each wallet is two accounts (its available and its reserved funds);
 * the world outside is held by system accounts, whose balances are the negative of what
 * users hold.
 */
export const LEDGER_REASONS = [
  'DEPOSIT',
  'WITHDRAWAL',
  'RESERVE',
  'RELEASE',
  'TRADE',
  'FEE',
] as const;
export type LedgerReason = (typeof LEDGER_REASONS)[number];

export const SYSTEM_ACCOUNTS = {
  /** The simulated payment rails deposits arrive from and withdrawals leave to. */
  bank: 'external:bank',
  fees: 'fees',
  /** Where a trade's legs meet: what one side pays in, the other takes out. */
  settlement: 'trading:settlement',
} as const;

export type WalletBucket = 'available' | 'reserved';

export const walletAccount = (userId: string, bucket: WalletBucket) => `wallet:${userId}:${bucket}`;

export interface LedgerEntry {
  readonly account: string;
  readonly asset: string;
  readonly amount: Units;
}

/** The reason a wallet event is entered under. */
export const reasonOf = (event: WalletEvent): LedgerReason => {
  switch (event.type) {
    case 'FundsDeposited':
      return 'DEPOSIT';
    case 'FundsWithdrawn':
      return 'WITHDRAWAL';
    case 'FundsReserved':
      return 'RESERVE';
    case 'FundsReleased':
      return 'RELEASE';
    case 'ReservedFundsDebited':
    case 'FundsCredited':
      return 'TRADE';
    case 'FeeCharged':
      return 'FEE';
  }
};

const move = (asset: string, amount: Units, from: string, to: string): LedgerEntry[] => [
  { account: from, asset, amount: -amount },
  { account: to, asset, amount },
];

/**
 * The entries a wallet event makes, both sides. Settlement events post against the
 * settlement account, which nets to zero once every leg of a trade is entered.
 */
export const entriesOf = (
  wallet: { readonly userId: string; readonly asset: string },
  event: WalletEvent,
): LedgerEntry[] => {
  const available = walletAccount(wallet.userId, 'available');
  const reserved = walletAccount(wallet.userId, 'reserved');
  const { asset } = wallet;
  switch (event.type) {
    case 'FundsDeposited':
      return move(asset, event.amount, SYSTEM_ACCOUNTS.bank, available);
    case 'FundsWithdrawn':
      return move(asset, event.amount, available, SYSTEM_ACCOUNTS.bank);
    case 'FundsReserved':
      return move(asset, event.amount, available, reserved);
    case 'FundsReleased':
      return move(asset, event.amount, reserved, available);
    case 'ReservedFundsDebited':
      return move(asset, event.amount, reserved, SYSTEM_ACCOUNTS.settlement);
    case 'FundsCredited':
      return move(asset, event.amount, SYSTEM_ACCOUNTS.settlement, available);
    case 'FeeCharged':
      return move(asset, event.amount, reserved, SYSTEM_ACCOUNTS.fees);
  }
};

/** The assets whose entries do not sum to zero, with what is left over. */
export const imbalanceOf = (entries: readonly LedgerEntry[]): Map<string, Units> => {
  const sums = new Map<string, Units>();
  for (const { asset, amount } of entries) sums.set(asset, (sums.get(asset) ?? 0n) + amount);
  for (const [asset, sum] of sums) if (sum === 0n) sums.delete(asset);
  return sums;
};

/** A transaction that does not balance is a bug in the caller, never something to store. */
export const requireBalanced = (entries: readonly LedgerEntry[]): void => {
  const imbalance = imbalanceOf(entries);
  if (imbalance.size > 0) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `The legs do not balance: ${[...imbalance].map(([asset, sum]) => `${asset} off by ${sum} units`).join(', ')}.`,
    );
  }
};
