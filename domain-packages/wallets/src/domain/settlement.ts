import { DomainError } from '@simple-securities/shared-kernel';
import type { Units } from './amount.js';

/**
 * A trade's money: what leaves reservations (debits) must arrive in wallets (credits),
 * asset by asset, so the settlement account nets to zero. Fees come out of reservations
 * on top, into core's fee account.
 */
export const requireSettlementNets = (
  debits: readonly { readonly asset: string; readonly amount: Units }[],
  credits: readonly { readonly asset: string; readonly amount: Units }[],
): void => {
  const net = new Map<string, Units>();
  for (const { asset, amount } of debits) net.set(asset, (net.get(asset) ?? 0n) + amount);
  for (const { asset, amount } of credits) net.set(asset, (net.get(asset) ?? 0n) - amount);
  const off = [...net].filter(([, sum]) => sum !== 0n);
  if (off.length > 0) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `A settlement's debits and credits must match per asset; off: ${off.map(([asset, sum]) => `${asset} ${sum} units`).join(', ')}.`,
    );
  }
  if (debits.length === 0) throw new DomainError('BAD_USER_INPUT', 'A settlement needs legs.');
};
