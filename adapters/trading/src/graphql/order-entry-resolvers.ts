import { parseInput, requireCaller, type RequestContext } from '@simple-securities/service-kit';
import type { OrderType, SpotOrderView } from '@simple-securities/trading';
import { z } from 'zod';
import type { OrderEntry } from '../order-entry/open-order-entry.js';

/** What the order entry resolvers need in each request's context. */
export interface OrderEntryContext extends RequestContext {
  readonly orderEntry: OrderEntry;
}

/** The root fields a context serves its order entry under: one owner per supergraph root field. */
export interface OrderEntryFields {
  readonly place: string;
  readonly cancel: string;
  readonly amend: string;
  readonly order: string;
  readonly updates: string;
}

const decimal = z.string().max(40);

const ORDER_TYPES = {
  MARKET: 'market',
  LIMIT: 'limit',
  STOP: 'stop',
  STOP_LIMIT: 'stop-limit',
} as const satisfies Record<string, OrderType>;

const placeOrderInput = z.object({
  symbol: z.string().max(20),
  side: z.enum(['BUY', 'SELL']),
  type: z.enum(['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT']),
  quantity: decimal,
  price: decimal.nullish(),
  stopPrice: decimal.nullish(),
  timeInForce: z.enum(['GTC', 'IOC', 'FOK', 'DAY']),
  clientOrderId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 letters, digits, . _ : or -'),
});

const orderId = z.string().max(64);

const amendOrderInput = z.object({
  id: orderId,
  quantity: decimal.nullish(),
  price: decimal.nullish(),
});

/**
 * Place, cancel and amend an order, read one and follow one's changes, as the signed-in
 * user, under the root field names a context gives them. Someone else's order reads as
 * null (or NOT_FOUND), like one that does not exist.
 */
export const orderEntryResolvers = (fields: OrderEntryFields) => ({
  Mutation: {
    [fields.place]: async (
      _root: unknown,
      args: { input: unknown },
      context: OrderEntryContext,
    ) => {
      const { userId } = requireCaller(context.caller);
      const input = parseInput(placeOrderInput, args.input);
      return context.orderEntry.place({
        userId,
        clientOrderId: input.clientOrderId,
        symbol: input.symbol,
        side: input.side === 'BUY' ? 'buy' : 'sell',
        orderType: ORDER_TYPES[input.type],
        quantity: input.quantity,
        price: input.price ?? undefined,
        stopPrice: input.stopPrice ?? undefined,
        timeInForce: input.timeInForce,
      });
    },
    [fields.cancel]: async (_root: unknown, args: { id: unknown }, context: OrderEntryContext) => {
      const { userId } = requireCaller(context.caller);
      return { order: await context.orderEntry.cancel(userId, parseInput(orderId, args.id)) };
    },
    [fields.amend]: async (
      _root: unknown,
      args: { input: unknown },
      context: OrderEntryContext,
    ) => {
      const { userId } = requireCaller(context.caller);
      const input = parseInput(amendOrderInput, args.input);
      const order = await context.orderEntry.amend({
        userId,
        orderId: input.id,
        quantity: input.quantity ?? undefined,
        price: input.price ?? undefined,
      });
      return { order };
    },
  },
  Query: {
    [fields.order]: async (_root: unknown, args: { id: unknown }, context: OrderEntryContext) => {
      const { userId } = requireCaller(context.caller);
      const order = await context.orderEntry.orders.byId(parseInput(orderId, args.id));
      return order?.userId === userId ? order : null;
    },
  },
  Subscription: {
    [fields.updates]: {
      subscribe: (_root: unknown, _args: unknown, context: OrderEntryContext) =>
        context.orderEntry.updates.watch(requireCaller(context.caller).userId),
      resolve: (order: SpotOrderView) => order,
    },
  },
});
