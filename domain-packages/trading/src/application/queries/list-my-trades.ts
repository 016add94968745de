import {
  DomainError,
  MAX_PAGE_SIZE,
  type Page,
  type PageRequest,
} from '@simple-securities/shared-kernel';
import type { MarketSideReadModel, UserFillView } from '../market-side-ports.js';

/** The caller's own fills, newest first; nobody reads another user's. */
export const listMyTrades =
  ({ readModel }: { readonly readModel: MarketSideReadModel }) =>
  async (
    caller: { readonly userId: string },
    ownerId: string,
    page: PageRequest,
  ): Promise<Page<UserFillView>> => {
    if (caller.userId !== ownerId)
      throw new DomainError('FORBIDDEN', 'You can only read your own trades.');
    if (!Number.isInteger(page.first) || page.first < 1 || page.first > MAX_PAGE_SIZE)
      throw new DomainError('BAD_USER_INPUT', `"first" must be between 1 and ${MAX_PAGE_SIZE}.`);
    return readModel.userFills(ownerId, page);
  };
