import { parseInput, requireCaller, type RequestContext } from '@simple-securities/service-kit';
import type { cancelOrder, placeOrder, SpotOrderView } from '@simple-securities/trading';
import type { OrderList } from '@simple-securities/trading-adapters';
import { z } from 'zod';

/** What the spot order resolvers need in each request's context. */
export interface SpotOrdersContext extends RequestContext {
  readonly spotOrders: {
    readonly place: ReturnType<typeof placeOrder>;
    readonly cancel: ReturnType<typeof cancelOrder>;
    readonly orders: OrderList;
    readonly updates: { watch(userId: string): AsyncIterableIterator<SpotOrderView> };
  };
}

const decimal = z.string().max(40);

const placeOrderInput = z.object({
  symbol: z.string().max(20),
  side: z.enum(['BUY', 'SELL']),
  type: z.enum(['MARKET', 'LIMIT']),
  quantity: decimal,
  price: decimal.nullish(),
  // Crypto trades around the clock: no session close would ever expire a DAY order.
  timeInForce: z.enum(['GTC', 'IOC', 'FOK'], { message: 'crypto takes GTC, IOC or FOK' }).nullish(),
  clientOrderId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 letters, digits, . _ : or -'),
});

const orderId = z.string().max(64);

export const spotOrderMutations = {
  placeOrder: async (_root: unknown, args: { input: unknown }, context: SpotOrdersContext) => {
    const { userId } = requireCaller(context.caller);
    const input = parseInput(placeOrderInput, args.input);
    return context.spotOrders.place({
      userId,
      clientOrderId: input.clientOrderId,
      symbol: input.symbol,
      side: input.side === 'BUY' ? 'buy' : 'sell',
      orderType: input.type === 'LIMIT' ? 'limit' : 'market',
      quantity: input.quantity,
      price: input.price ?? undefined,
      timeInForce: input.timeInForce ?? 'GTC',
    });
  },
  cancelOrder: async (_root: unknown, args: { id: unknown }, context: SpotOrdersContext) => {
    const { userId } = requireCaller(context.caller);
    return { order: await context.spotOrders.cancel(userId, parseInput(orderId, args.id)) };
  },
};

/** One of the caller's orders; someone else's is null, like one that does not exist. */
export const myOrder = async (
  _root: unknown,
  args: { id: unknown },
  context: SpotOrdersContext,
) => {
  const { userId } = requireCaller(context.caller);
  const order = await context.spotOrders.orders.byId(parseInput(orderId, args.id));
  return order?.userId === userId ? order : null;
};

/** The caller's own orders as they change: placed, filled, cancelled. */
export const myOrderUpdates = {
  subscribe: (_root: unknown, _args: unknown, context: SpotOrdersContext) =>
    context.spotOrders.updates.watch(requireCaller(context.caller).userId),
  resolve: (order: SpotOrderView) => order,
};
