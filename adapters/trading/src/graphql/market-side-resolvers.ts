import { parseInput, requireCaller, type RequestContext } from '@simple-securities/service-kit';
import {
  checkBookDepth,
  type getOrderBook,
  type getPortfolio,
  type getRecentTrades,
  type listMyTrades,
  type OrderBookView,
  type PublicTradeView,
} from '@simple-securities/trading';
import { z } from 'zod';
import type { MarketSideUpdates } from '../live/market-side-updates.js';
import { marketSideFieldNames } from './market-side-sdl.js';

/** What the market-side resolvers need in each request's context. */
export interface MarketSideContext extends RequestContext {
  readonly marketSide: {
    readonly orderBook: ReturnType<typeof getOrderBook>;
    readonly recentTrades: ReturnType<typeof getRecentTrades>;
    readonly myTrades: ReturnType<typeof listMyTrades>;
    readonly portfolio: ReturnType<typeof getPortfolio>;
    readonly updates: Pick<MarketSideUpdates, 'books' | 'trades'>;
    /** The listed symbol, normalised; BAD_USER_INPUT otherwise. */
    readonly listedSymbol: (symbol: string) => string;
  };
}

const symbol = z.string().min(1).max(20);
const count = z.number().int();
const bookArguments = z.object({ symbol, depth: count });
const tradeArguments = z.object({ symbol, first: count });
const pageArguments = z.object({ first: count, after: z.string().max(200).nullish() });

/**
 * The market side's resolvers for a context, under its field names
 * (`marketSideFieldNames`): merge each group into the subgraph's own.
 */
export const marketSideResolvers = (prefix: 'Crypto' | 'Stock') => {
  const names = marketSideFieldNames(prefix);
  return {
    Query: {
      [names.orderBook]: (_root: unknown, args: unknown, context: MarketSideContext) => {
        const { symbol: asked, depth } = parseInput(bookArguments, args);
        return context.marketSide.orderBook(asked, depth);
      },
      [names.recentTrades]: (_root: unknown, args: unknown, context: MarketSideContext) => {
        const { symbol: asked, first } = parseInput(tradeArguments, args);
        return context.marketSide.recentTrades(asked, first);
      },
    },
    Subscription: {
      [names.orderBookUpdates]: {
        subscribe: (_root: unknown, args: unknown, context: MarketSideContext) => {
          const { symbol: asked, depth } = parseInput(bookArguments, args);
          const { listedSymbol, updates } = context.marketSide;
          return updates.books(listedSymbol(asked), checkBookDepth(depth));
        },
        resolve: (book: OrderBookView) => book,
      },
      [names.tradeUpdates]: {
        subscribe: (_root: unknown, args: unknown, context: MarketSideContext) => {
          const { listedSymbol, updates } = context.marketSide;
          return updates.trades(listedSymbol(parseInput(z.object({ symbol }), args).symbol));
        },
        resolve: (trade: PublicTradeView) => trade,
      },
    },
    User: {
      [names.trades]: async (user: { id: string }, args: unknown, context: MarketSideContext) => {
        const { first, after } = parseInput(pageArguments, args);
        const page = await context.marketSide.myTrades(requireCaller(context.caller), user.id, {
          first,
          after: after ?? undefined,
        });
        return {
          edges: page.items,
          pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.items.at(-1)?.cursor ?? null },
        };
      },
      [names.portfolio]: (user: { id: string }, _args: unknown, context: MarketSideContext) =>
        context.marketSide.portfolio(requireCaller(context.caller), user.id),
    },
  };
};
