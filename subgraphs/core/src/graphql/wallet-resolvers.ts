import {
  DecimalScalar,
  type GraphQLResolverMap,
  parseInput,
  type RequestContext,
  requirePermission,
} from '@simple-securities/service-kit';
import type { Page } from '@simple-securities/shared-kernel';
import {
  type LedgerLine,
  type Movement,
  type Wallet,
  type createDepositFunds,
  type createGetWallet,
  type createGetWalletLedger,
  type createGetWallets,
  type createWithdrawFunds,
  formatUnits,
  getAsset,
  onlyLegOf,
  totalOf,
} from '@simple-securities/wallets';
import { z } from 'zod';

export interface WalletUseCases {
  readonly deposit: ReturnType<typeof createDepositFunds>;
  readonly withdraw: ReturnType<typeof createWithdrawFunds>;
  readonly getWallets: ReturnType<typeof createGetWallets>;
  readonly getWallet: ReturnType<typeof createGetWallet>;
  readonly getLedger: ReturnType<typeof createGetWalletLedger>;
}

// Bounds that stop oversized strings early; the domain gives the precise rules.
const transferInput = z.object({
  asset: z.string().max(32),
  amount: z.string().max(64),
  idempotencyKey: z.string().max(256),
});

/** Balances are private: the owner sees them, and whoever may read users' details. */
const maySee = (context: RequestContext, userId: string) =>
  context.caller !== undefined &&
  (context.caller.userId === userId || context.caller.permissions.includes('admin:users:read'));

const decimal = (asset: string, units: bigint) => formatUnits(getAsset(asset), units);

const payload = (movement: Movement) => {
  const leg = onlyLegOf(movement);
  return {
    replayed: movement.replayed,
    movement: {
      id: movement.id,
      reason: leg.reason,
      asset: leg.wallet.asset,
      amount: decimal(leg.wallet.asset, leg.amount),
      reference: movement.reference,
      createdAt: movement.createdAt,
    },
    wallet: { ...leg.wallet, ...leg.balance } satisfies Wallet,
  };
};

const connection = (wallet: Wallet, page: Page<LedgerLine>) => ({
  edges: page.items.map(({ node, cursor }) => ({
    cursor,
    node: {
      ...node,
      amount: decimal(wallet.asset, node.amount),
      bucket: node.bucket === 'reserved' ? 'RESERVED' : 'AVAILABLE',
    },
  })),
  pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.items.at(-1)?.cursor ?? null },
});

export const walletResolvers = (useCases: WalletUseCases): GraphQLResolverMap<RequestContext> => ({
  Decimal: DecimalScalar,
  User: {
    wallets: (user: { id: string }, _args: unknown, context: RequestContext) =>
      maySee(context, user.id) ? useCases.getWallets(user.id) : null,
    wallet: (user: { id: string }, args: { asset: string }, context: RequestContext) =>
      maySee(context, user.id) ? useCases.getWallet(user.id, args.asset) : null,
  },
  Wallet: {
    available: (wallet: Wallet) => decimal(wallet.asset, wallet.available),
    reserved: (wallet: Wallet) => decimal(wallet.asset, wallet.reserved),
    total: (wallet: Wallet) => decimal(wallet.asset, totalOf(wallet)),
    // Reached only through a User the caller may see, so the wallet is theirs to read.
    ledger: async (wallet: Wallet, args: { first: number; after?: string | null }) =>
      connection(
        wallet,
        await useCases.getLedger(wallet, { first: args.first, after: args.after ?? undefined }),
      ),
  },
  Mutation: {
    deposit: async (_root, { input }: { input: unknown }, context) => {
      const caller = requirePermission(context.caller, 'wallets:deposit');
      return payload(
        await useCases.deposit({ userId: caller.userId, ...parseInput(transferInput, input) }),
      );
    },
    withdraw: async (_root, { input }: { input: unknown }, context) => {
      const caller = requirePermission(context.caller, 'wallets:withdraw');
      return payload(
        await useCases.withdraw({ userId: caller.userId, ...parseInput(transferInput, input) }),
      );
    },
  },
});
