import { DomainError, MAX_PAGE_SIZE } from '@simple-securities/shared-kernel';
import type { PublicTradeView } from '../market-side-ports.js';
import type { MarketSideQueryDependencies } from './get-order-book.js';

/** A listed instrument's latest `first` trades, newest first. */
export const getRecentTrades =
  ({ readModel, listedSymbol }: MarketSideQueryDependencies) =>
  async (symbol: string, first: number): Promise<PublicTradeView[]> => {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE)
      throw new DomainError('BAD_USER_INPUT', `"first" must be between 1 and ${MAX_PAGE_SIZE}.`);
    return readModel.recentTrades(listedSymbol(symbol), first);
  };
