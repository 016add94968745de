import type { Page, PageRequest } from '@simple-securities/shared-kernel';
import type { Units } from '../domain/amount.js';
import type { LedgerReason } from '../domain/ledger.js';
import type { Reservation } from '../domain/reservation.js';
import type { WalletBalance, WalletCommand, WalletEvent } from '../domain/wallet.js';

export type { Clock } from '@simple-securities/shared-kernel';

export interface WalletKey {
  readonly userId: string;
  readonly asset: string;
}

export interface Wallet extends WalletKey, WalletBalance {}

/**
 * One wallet's part in a movement. `plan` runs with the wallet locked, on its current
 * balance (and the reservation it names), and returns the command to apply; it throws a
 * DomainError to refuse. A `Reserve` opens the named reservation; a `Release` or
 * `DebitReserved` draws it down.
 */
export interface Leg {
  readonly wallet: WalletKey;
  readonly reservationId?: string;
  plan(current: { balance: WalletBalance; reservation?: Reservation }): WalletCommand;
}

/**
 * A movement, idempotent by `id`: the first request with an id is applied once, a retry
 * with the same `fingerprint` gets the first result back, the same id with another
 * fingerprint is a CONFLICT.
 */
export interface MovementRequest {
  readonly id: string;
  readonly fingerprint: string;
  /** What the movement belongs to: the deposit, order, reservation or settlement. */
  readonly reference: string;
  readonly legs: readonly Leg[];
}

export interface MovedLeg {
  readonly wallet: WalletKey;
  readonly event: WalletEvent['type'];
  readonly reason: LedgerReason;
  readonly amount: Units;
  /** The wallet right after this movement. */
  readonly balance: WalletBalance;
}

export interface Movement {
  /** The ledger transaction's id. */
  readonly id: string;
  readonly reference: string;
  readonly createdAt: Date;
  readonly legs: readonly MovedLeg[];
  /** True when this is a retry answered with the first result. */
  readonly replayed: boolean;
}

/** The one leg of a single-wallet movement (a deposit, withdrawal, reservation or release). */
export const onlyLegOf = (movement: Movement): MovedLeg => {
  const [leg, ...others] = movement.legs;
  if (!leg || others.length > 0) {
    throw new Error(`movement ${movement.id} has ${movement.legs.length} legs, not one`);
  }
  return leg;
};

/**
 * The write side: applies a movement in one database transaction (row locks on the
 * wallets it touches, its balanced ledger transaction, its integration events through
 * the outbox), so concurrent movements never overdraw a wallet.
 */
export interface FundsStore {
  record(request: MovementRequest): Promise<Movement>;
  findReservation(id: string): Promise<Reservation | undefined>;
}

/** One entry of a wallet's history. */
export interface LedgerLine {
  readonly id: string;
  readonly transactionId: string;
  readonly reason: LedgerReason;
  readonly reference: string;
  /** Signed: what the entry added to (or took from) the wallet's available or reserved funds. */
  readonly amount: Units;
  readonly bucket: 'available' | 'reserved';
  readonly createdAt: Date;
}

export interface WalletReadModel {
  walletsOf(userId: string): Promise<Wallet[]>;
  walletOf(key: WalletKey): Promise<Wallet | undefined>;
  /** Newest first. */
  ledgerOf(key: WalletKey, page: PageRequest): Promise<Page<LedgerLine>>;
}
