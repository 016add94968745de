import { parseAmount } from '../../domain/amount.js';
import { getAsset } from '../../domain/asset.js';
import type { FundsStore, Movement } from '../ports.js';
import { parseRequestId } from './request-ids.js';

export interface ReserveFundsInput {
  readonly userId: string;
  readonly asset: string;
  readonly amount: string;
  /** Chosen by the caller (an order id, say); the reservation is made once per id. */
  readonly reservationId: string;
}

/** Holds available funds for an open order. */
export const createReserveFunds =
  (deps: { funds: FundsStore }) =>
  async (input: ReserveFundsInput): Promise<Movement> => {
    const asset = getAsset(input.asset);
    const amount = parseAmount(asset, input.amount);
    const reservationId = parseRequestId('reservationId', input.reservationId);
    return deps.funds.record({
      id: `reserve:${reservationId}`,
      fingerprint: `Reserve ${input.userId} ${asset.code} ${amount}`,
      reference: `reservation:${reservationId}`,
      legs: [
        {
          wallet: { userId: input.userId, asset: asset.code },
          reservationId,
          plan: () => ({ type: 'Reserve', amount }),
        },
      ],
    });
  };
