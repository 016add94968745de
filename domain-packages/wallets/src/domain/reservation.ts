import { DomainError } from '@simple-securities/shared-kernel';
import { type Units, formatUnits } from './amount.js';
import type { Asset } from './asset.js';

/**
 * Funds held for one purpose (an open order) until they are released or settled.
 * `remaining` is what is still held; user and asset never change.
 */
export interface Reservation {
  readonly id: string;
  readonly userId: string;
  readonly asset: string;
  readonly amount: Units;
  readonly remaining: Units;
}

/** How much a release gives back: what was asked for, or everything still held. */
export const releasableAmount = (asset: Asset, reservation: Reservation, asked?: Units): Units => {
  if (reservation.remaining === 0n) {
    throw new DomainError(
      'INSUFFICIENT_FUNDS',
      `Reservation ${reservation.id} holds nothing any more: it was released or settled in full.`,
      { reservationId: reservation.id },
    );
  }
  const amount = asked ?? reservation.remaining;
  if (amount > reservation.remaining) {
    throw new DomainError(
      'INSUFFICIENT_FUNDS',
      `Reservation ${reservation.id} holds only ${formatUnits(asset, reservation.remaining)} ${asset.code}; cannot release ${formatUnits(asset, amount)}.`,
      { reservationId: reservation.id },
    );
  }
  return amount;
};
