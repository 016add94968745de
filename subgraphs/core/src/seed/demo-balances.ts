import { LIQUIDITY_PROVIDER_USER_ID } from '@simple-securities/contracts';
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
 * The liquidity provider's inventory (ADR 0027): each holding is worth a few hundred
 * thousand dollars, enough for many demo trades at its default of three 2,000 levels a side.
 */
export const LIQUIDITY_PROVIDER_BALANCES = [
  { asset: 'USDT', amount: '5000000' },
  { asset: 'USD', amount: '5000000' },
  { asset: 'BTC', amount: '3' },
  { asset: 'ETH', amount: '100' },
  { asset: 'SOL', amount: '2000' },
  { asset: 'BNB', amount: '300' },
  { asset: 'XRP', amount: '150000' },
  { asset: 'ADA', amount: '600000' },
  { asset: 'DOGE', amount: '2000000' },
  { asset: 'LTC', amount: '3500' },
  { asset: 'DOT', amount: '100000' },
  { asset: 'AVAX', amount: '20000' },
  { asset: 'LINK', amount: '20000' },
  { asset: 'TRX', amount: '1000000' },
  { asset: 'AAPL', amount: '1000' },
  { asset: 'MSFT', amount: '600' },
  { asset: 'NVDA', amount: '1500' },
  { asset: 'AMZN', amount: '1200' },
  { asset: 'GOOGL', amount: '1000' },
  { asset: 'TSLA', amount: '700' },
  { asset: 'JPM', amount: '1000' },
] as const;

/**
 * Pays the demo balances and the liquidity provider's inventory in through the ordinary deposit use case, so the ledger holds
 * them like any other money from its first entry. Fixed idempotency keys make it safe
 * to run at every start: a second run moves nothing.
 */
export const seedDemoBalances = async (deps: {
  deposit: (input: ExternalTransferInput) => Promise<Movement>;
  logger: Logger;
}): Promise<{ deposited: number }> => {
  const holdings = [
    ...DEMO_USERS.flatMap((user) =>
      DEMO_BALANCES.map((balance) => ({ userId: user.id, ...balance })),
    ),
    ...LIQUIDITY_PROVIDER_BALANCES.map((balance) => ({
      userId: LIQUIDITY_PROVIDER_USER_ID,
      ...balance,
    })),
  ];
  let deposited = 0;
  for (const { userId, asset, amount } of holdings) {
    const movement = await deps.deposit({
      userId,
      asset,
      amount,
      idempotencyKey: `demo-balance-${asset.toLowerCase()}`,
    });
    if (!movement.replayed) deposited += 1;
  }
  if (deposited) deps.logger.info({ deposited }, `deposited ${deposited} demo balances`);
  return { deposited };
};
