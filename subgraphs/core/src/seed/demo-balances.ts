import type { Logger } from '@simple-securities/service-kit';
import type { ExternalTransferInput, Movement } from '@simple-securities/wallets';
import { DEMO_USERS } from './demo-users.js';

/** What each demo user starts with, so they can trade right away. */
export const DEMO_BALANCES = [
  { asset: 'USD', amount: '100000' },
  { asset: 'USDT', amount: '100000' },
  { asset: 'BTC', amount: '2' },
  { asset: 'ETH', amount: '20' },
] as const;

/**
 * Pays the demo balances in through the ordinary deposit use case, so the ledger holds
 * them like any other money from its first entry. Fixed idempotency keys make it safe
 * to run at every start: a second run moves nothing.
 */
export const seedDemoBalances = async (deps: {
  deposit: (input: ExternalTransferInput) => Promise<Movement>;
  logger: Logger;
}): Promise<{ deposited: number }> => {
  let deposited = 0;
  for (const user of DEMO_USERS) {
    for (const { asset, amount } of DEMO_BALANCES) {
      const movement = await deps.deposit({
        userId: user.id,
        asset,
        amount,
        idempotencyKey: `demo-balance-${asset.toLowerCase()}`,
      });
      if (!movement.replayed) deposited += 1;
    }
  }
  if (deposited) deps.logger.info({ deposited }, `deposited ${deposited} demo balances`);
  return { deposited };
};
