import { requireCaller, type RequestContext } from '@simple-securities/service-kit';
import { DomainError } from '@simple-securities/shared-kernel';
import type { OrderList } from '../postgres/postgres-order-list.js';

/** What the order resolvers of a trading subgraph need in each request's context. */
export interface TradingContext extends RequestContext {
  readonly trading: { readonly orders: OrderList };
}

/** A user's orders in this context; only the user themself may read them. */
export const userOrders = async (
  user: { id: string },
  args: { first: number; after?: string | null },
  context: TradingContext,
) => {
  if (requireCaller(context.caller).userId !== user.id) {
    throw new DomainError('FORBIDDEN', 'You can only read your own orders.');
  }
  const page = await context.trading.orders.listUserOrders(user.id, {
    first: args.first,
    after: args.after ?? undefined,
  });
  return {
    edges: page.items,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.items.at(-1)?.cursor ?? null },
  };
};
