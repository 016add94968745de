import { requireCaller, type RequestContext } from '@simple-securities/service-kit';
import { DomainError } from '@simple-securities/shared-kernel';
import type { SpotOrderStatus } from '@simple-securities/trading';
import type { OrderList } from '../postgres/postgres-order-list.js';

/** What the order resolvers of a trading subgraph need in each request's context. */
export interface TradingContext extends RequestContext {
  readonly trading: { readonly orders: OrderList };
}

/** A user's orders in this context; only the user themself may read them. */
export const userOrders = async (
  user: { id: string },
  args: {
    first: number;
    after?: string | null;
    status?: SpotOrderStatus | null;
    symbol?: string | null;
  },
  context: TradingContext,
) => {
  if (requireCaller(context.caller).userId !== user.id) {
    throw new DomainError('FORBIDDEN', 'You can only read your own orders.');
  }
  const page = await context.trading.orders.listUserOrders(
    user.id,
    { first: args.first, after: args.after ?? undefined },
    { status: args.status ?? undefined, symbol: args.symbol ?? undefined },
  );
  return {
    edges: page.items,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.items.at(-1)?.cursor ?? null },
  };
};
