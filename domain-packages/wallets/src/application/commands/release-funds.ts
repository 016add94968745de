import { DomainError } from '@simple-securities/shared-kernel';
import { parseAmount } from '../../domain/amount.js';
import { getAsset } from '../../domain/asset.js';
import { releasableAmount } from '../../domain/reservation.js';
import type { FundsStore, Movement } from '../ports.js';
import { parseRequestId } from './request-ids.js';

export interface ReleaseFundsInput {
  readonly reservationId: string;
  /** Everything still held when absent. */
  readonly amount?: string | undefined;
  /**
   * Makes the release idempotent; defaults to the reservation id, which suits a release
   * of everything. Partial releases of one reservation each need their own id.
   */
  readonly releaseId?: string | undefined;
}

/** Gives reserved funds back to the available balance (an order cancelled or filled for less). */
export const createReleaseFunds =
  (deps: { funds: FundsStore }) =>
  async (input: ReleaseFundsInput): Promise<Movement> => {
    const reservationId = parseRequestId('reservationId', input.reservationId);
    const releaseId = parseRequestId('releaseId', input.releaseId ?? reservationId);
    const reservation = await deps.funds.findReservation(reservationId);
    if (!reservation) {
      throw new DomainError('NOT_FOUND', `No reservation ${reservationId}.`, { reservationId });
    }
    const asset = getAsset(reservation.asset);
    const asked = input.amount === undefined ? undefined : parseAmount(asset, input.amount);
    return deps.funds.record({
      id: `release:${releaseId}`,
      fingerprint: `Release ${reservationId} ${asked ?? 'all'}`,
      reference: `reservation:${reservationId}`,
      legs: [
        {
          wallet: { userId: reservation.userId, asset: reservation.asset },
          reservationId,
          plan: ({ reservation: current }) => ({
            type: 'Release',
            amount: releasableAmount(asset, current ?? reservation, asked),
          }),
        },
      ],
    });
  };
