import { parseAmount } from '../../domain/amount.js';
import { getAsset } from '../../domain/asset.js';
import type { FundsStore, Movement } from '../ports.js';
import { parseRequestId } from './request-ids.js';

export interface ExternalTransferInput {
  readonly userId: string;
  readonly asset: string;
  /** A positive decimal string. */
  readonly amount: string;
  /** Chosen by the client; a retry with the same key is answered with the first result. */
  readonly idempotencyKey: string;
}

/**
 * Deposits and withdrawals over the (simulated) payment rails differ only in direction,
 * so both are this one use case. A user's keys are shared by both: reusing a deposit's
 * key for a withdrawal is a CONFLICT, not a second movement.
 */
const externalTransfer =
  (direction: 'Deposit' | 'Withdraw') =>
  (deps: { funds: FundsStore }) =>
  async (input: ExternalTransferInput): Promise<Movement> => {
    const asset = getAsset(input.asset);
    const amount = parseAmount(asset, input.amount);
    const key = parseRequestId('idempotencyKey', input.idempotencyKey);
    return deps.funds.record({
      id: `transfer:${input.userId}:${key}`,
      fingerprint: `${direction} ${asset.code} ${amount}`,
      reference: `${direction === 'Deposit' ? 'deposit' : 'withdrawal'}:${key}`,
      legs: [
        {
          wallet: { userId: input.userId, asset: asset.code },
          plan: () => ({ type: direction, amount }),
        },
      ],
    });
  };

export const createDepositFunds = externalTransfer('Deposit');
export const createWithdrawFunds = externalTransfer('Withdraw');
