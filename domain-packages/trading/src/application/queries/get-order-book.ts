import { DomainError } from '@simple-securities/shared-kernel';
import type { MarketSideReadModel, OrderBookView } from '../market-side-ports.js';

/** Price levels per side a caller may ask for: enough for any ladder, bounded in cost. */
export const MAX_BOOK_DEPTH = 100;

export interface MarketSideQueryDependencies {
  readonly readModel: MarketSideReadModel;
  /** The listed symbol, normalised; BAD_USER_INPUT for one that is not listed. */
  readonly listedSymbol: (symbol: string) => string;
}

/** BAD_USER_INPUT unless 1 ≤ depth ≤ MAX_BOOK_DEPTH. */
export const checkBookDepth = (depth: number): number => {
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_BOOK_DEPTH)
    throw new DomainError('BAD_USER_INPUT', `"depth" must be between 1 and ${MAX_BOOK_DEPTH}.`);
  return depth;
};

/** A listed book's best `depth` price levels per side, from its projection. */
export const getOrderBook =
  ({ readModel, listedSymbol }: MarketSideQueryDependencies) =>
  async (symbol: string, depth: number): Promise<OrderBookView> =>
    readModel.orderBook(listedSymbol(symbol), checkBookDepth(depth));
