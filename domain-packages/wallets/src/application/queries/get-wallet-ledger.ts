import { DomainError, MAX_PAGE_SIZE, type Page } from '@simple-securities/shared-kernel';
import type { LedgerLine, WalletKey, WalletReadModel } from '../ports.js';

/** A wallet's entries, newest first, a page at a time. */
export const createGetWalletLedger =
  (deps: { wallets: WalletReadModel }) =>
  (
    wallet: WalletKey,
    page: { first: number; after?: string | undefined },
  ): Promise<Page<LedgerLine>> => {
    if (!Number.isInteger(page.first) || page.first < 0 || page.first > MAX_PAGE_SIZE) {
      throw new DomainError('BAD_USER_INPUT', `first must be between 0 and ${MAX_PAGE_SIZE}.`, {
        field: 'first',
      });
    }
    return deps.wallets.ledgerOf(wallet, page);
  };
