import { DomainError } from '@simple-securities/shared-kernel';
import { parseAmount } from '../../domain/amount.js';
import { getAsset } from '../../domain/asset.js';
import { releasableAmount } from '../../domain/reservation.js';
import { requireSettlementNets } from '../../domain/settlement.js';
import type { FundsStore, Leg, Movement } from '../ports.js';
import { parseRequestId } from './request-ids.js';

export interface SettleTradeInput {
  readonly settlementId: string;
  readonly debits: readonly { readonly reservationId: string; readonly amount: string }[];
  readonly credits: readonly {
    readonly userId: string;
    readonly asset: string;
    readonly amount: string;
  }[];
  readonly fees: readonly { readonly reservationId: string; readonly amount: string }[];
}

/** Moves a trade's money in one balanced transaction, once per settlement id. */
export const createSettleTrade =
  (deps: { funds: FundsStore }) =>
  async (input: SettleTradeInput): Promise<Movement> => {
    const settlementId = parseRequestId('settlementId', input.settlementId);

    const fromReservation = async (
      leg: { reservationId: string; amount: string },
      type: 'DebitReserved' | 'ChargeFee',
    ) => {
      const reservationId = parseRequestId('reservationId', leg.reservationId);
      const reservation = await deps.funds.findReservation(reservationId);
      if (!reservation) {
        throw new DomainError('NOT_FOUND', `No reservation ${reservationId}.`, { reservationId });
      }
      const asset = getAsset(reservation.asset);
      const amount = parseAmount(asset, leg.amount);
      return {
        asset: asset.code,
        amount,
        leg: {
          wallet: { userId: reservation.userId, asset: asset.code },
          reservationId,
          plan: ({ reservation: current }) => ({
            type,
            amount: releasableAmount(asset, current ?? reservation, amount),
          }),
        } satisfies Leg,
      };
    };

    const debits = await Promise.all(input.debits.map((d) => fromReservation(d, 'DebitReserved')));
    const fees = await Promise.all(input.fees.map((f) => fromReservation(f, 'ChargeFee')));
    const credits = input.credits.map((credit) => {
      const asset = getAsset(credit.asset);
      const amount = parseAmount(asset, credit.amount);
      return {
        asset: asset.code,
        amount,
        leg: {
          wallet: { userId: credit.userId, asset: asset.code },
          plan: () => ({ type: 'Credit', amount }),
        } satisfies Leg,
      };
    });
    requireSettlementNets(debits, credits);

    const describe = (legs: readonly { asset: string; amount: bigint; leg: Leg }[]) =>
      legs
        .map(
          ({ asset, amount, leg }) =>
            `${leg.reservationId ?? leg.wallet.userId}:${asset}:${amount}`,
        )
        .join(',');
    return deps.funds.record({
      id: `settle:${settlementId}`,
      fingerprint: `Settle ${describe(debits)} ${describe(credits)} ${describe(fees)}`,
      reference: `settlement:${settlementId}`,
      legs: [...debits, ...fees, ...credits].map(({ leg }) => leg),
    });
  };
