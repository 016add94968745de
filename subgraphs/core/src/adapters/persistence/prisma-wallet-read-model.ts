import type { Page, PageRequest } from '@simple-securities/shared-kernel';
import {
  ASSETS,
  type LedgerLine,
  type Wallet,
  type WalletKey,
  type WalletReadModel,
} from '@simple-securities/wallets';
import type { CorePrismaClient } from './prisma-client.js';

const catalogueOrder = new Map(ASSETS.map((asset, index) => [asset.code, index]));

const CURSOR = /^\d{1,19}$/;

/** Wallets and their ledger entries, read through Prisma. Cursors are entry ids. */
export class PrismaWalletReadModel implements WalletReadModel {
  constructor(private readonly prisma: CorePrismaClient) {}

  async walletsOf(userId: string): Promise<Wallet[]> {
    const rows = await this.prisma.wallet.findMany({ where: { userId } });
    return rows
      .map(({ userId, asset, available, reserved }) => ({ userId, asset, available, reserved }))
      .sort((a, b) => (catalogueOrder.get(a.asset) ?? 0) - (catalogueOrder.get(b.asset) ?? 0));
  }

  async walletOf(key: WalletKey): Promise<Wallet | undefined> {
    const row = await this.prisma.wallet.findUnique({ where: { userId_asset: key } });
    return row ?? undefined;
  }

  async ledgerOf(key: WalletKey, page: PageRequest): Promise<Page<LedgerLine>> {
    // An unreadable cursor starts from the newest entry rather than failing the page.
    const before = page.after && CURSOR.test(page.after) ? BigInt(page.after) : undefined;
    const rows = await this.prisma.ledgerEntry.findMany({
      where: { userId: key.userId, asset: key.asset, ...(before ? { id: { lt: before } } : {}) },
      orderBy: { id: 'desc' },
      take: page.first + 1,
      include: { transaction: true },
    });
    return {
      hasNextPage: rows.length > page.first,
      items: rows.slice(0, page.first).map((row) => ({
        cursor: row.id.toString(),
        node: {
          id: row.id.toString(),
          transactionId: row.transactionId,
          reason: row.reason,
          reference: row.transaction.reference,
          amount: row.amount,
          bucket: row.account.endsWith(':reserved') ? 'reserved' : 'available',
          createdAt: row.transaction.createdAt,
        },
      })),
    };
  }
}
