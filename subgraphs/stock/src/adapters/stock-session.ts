import { isMarketOpen, marketStatus, type Stock } from '@simple-securities/market-data';
import type { MarketSession } from '@simple-securities/trading';

/**
 * A stock's session as its order desk sees it: orders only while its exchange is open
 * (or always, with the demo setting); DAY orders end at each close of the exchange's
 * calendar, early closes included, whatever the demo setting.
 */
export const stockSessionOf = (stock: Stock, alwaysOpen: boolean): MarketSession => ({
  isOpen: (at) => alwaysOpen || isMarketOpen(stock.calendar, at),
  nextCloseAfter: (at) => marketStatus(stock.calendar, at).nextClose,
});

/** Shares are whole (no decimals in core's wallets); dollars have cents. */
export const walletScaleOf = (asset: string): number => (asset === 'USD' ? 2 : 0);
