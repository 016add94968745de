import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { dataOf, type GraphQLResponse, type TestStack } from './running-stack.js';

const DEPOSIT = `mutation ($input: DepositInput!) { deposit(input: $input) { replayed } }`;

/** `amount` shares of `asset` paid into the caller's wallet, as a broker transfer would. */
export const depositShares = async (
  stack: TestStack,
  token: string,
  asset: string,
  amount: string,
) =>
  dataOf(
    (
      await stack.graphql(DEPOSIT, {
        token,
        variables: { input: { asset, amount, idempotencyKey: `${asset}-${Math.random()}` } },
      })
    ).body,
  );

/** An order as both trading contexts serve it. */
export interface Order {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: string;
  type: string;
  status: string;
  quantity: string;
  filledQuantity: string;
  averagePrice: string | null;
  price: string | null;
  stopPrice: string | null;
  createdAt: string;
}

export const ORDER_FIELDS =
  'id clientOrderId symbol side type status quantity filledQuantity averagePrice price stopPrice createdAt';

/** The root fields and type prefix a trading context serves its orders under. */
export interface OrderApi {
  readonly prefix: 'Crypto' | 'Stock';
  readonly place: string;
  readonly cancel: string;
  readonly amend: string;
  readonly order: string;
  readonly updates: string;
}

export const CRYPTO_ORDERS: OrderApi = {
  prefix: 'Crypto',
  place: 'placeOrder',
  cancel: 'cancelOrder',
  amend: 'amendOrder',
  order: 'order',
  updates: 'myOrderUpdates',
};

export const STOCK_ORDERS: OrderApi = {
  prefix: 'Stock',
  place: 'placeStockOrder',
  cancel: 'cancelStockOrder',
  amend: 'amendStockOrder',
  order: 'stockOrder',
  updates: 'myStockOrderUpdates',
};

/**
 * A trading context's order operations through the router, each for the caller whose
 * token it is given. `symbol` is the default of every placement.
 */
export const ordersThroughRouter = (stack: TestStack, api: OrderApi, symbol: string) => {
  const PLACE = `mutation ($input: Place${api.prefix}OrderInput!) {
    ${api.place}(input: $input) { replayed order { ${ORDER_FIELDS} } }
  }`;
  const CANCEL = `mutation ($id: ID!) { ${api.cancel}(id: $id) { order { ${ORDER_FIELDS} } } }`;
  const AMEND = `mutation ($input: Amend${api.prefix}OrderInput!) {
    ${api.amend}(input: $input) { order { ${ORDER_FIELDS} } }
  }`;
  const ORDER = `query ($id: ID!) { ${api.order}(id: $id) { ${ORDER_FIELDS} } }`;
  const WALLETS = `{ me { wallets { asset available reserved } } }`;

  const place = async (token: string, input: Record<string, unknown>) =>
    (
      await stack.graphql<Record<string, { replayed: boolean; order: Order }>>(PLACE, {
        token,
        variables: { input: { symbol, ...input } },
      })
    ).body;
  const payloadOf = <T>(body: GraphQLResponse<Record<string, T>>, field: string): T => {
    const payload = dataOf(body)[field];
    if (!payload) throw new Error(`no ${field} in ${JSON.stringify(body)}`);
    return payload;
  };

  return {
    place,
    /** The payload of a placement that must succeed. */
    placed: async (token: string, input: Record<string, unknown>) =>
      payloadOf(await place(token, input), api.place),
    cancel: async (token: string, id: string) =>
      (
        await stack.graphql<Record<string, { order: Order }>>(CANCEL, {
          token,
          variables: { id },
        })
      ).body,
    amend: async (token: string, input: Record<string, unknown>) =>
      (
        await stack.graphql<Record<string, { order: Order }>>(AMEND, {
          token,
          variables: { input },
        })
      ).body,
    orderOf: async (token: string, id: string) =>
      dataOf(
        (await stack.graphql<Record<string, Order | null>>(ORDER, { token, variables: { id } }))
          .body,
      )[api.order] ?? null,
    /** asset → [available, reserved], for the assets asked for. */
    wallets: async (token: string, assets: readonly string[]) => {
      const { body } = await stack.graphql<{
        me: { wallets: { asset: string; available: string; reserved: string }[] };
      }>(WALLETS, { token });
      return Object.fromEntries(
        dataOf(body)
          .me.wallets.filter(({ asset }) => assets.includes(asset))
          .map(({ asset, available, reserved }) => [asset, [available, reserved]]),
      );
    },
    /**
     * The first update on the caller's order subscription, while `placeOne(n)` places
     * orders until one arrives: the subscription reaches the subgraph a moment later.
     */
    firstUpdate: async (token: string, placeOne: (n: number) => Promise<unknown>) => {
      const client: Client = createClient({
        url: stack.router.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${token}` },
      });
      /** The placements, still under way when an update arrives: awaited before the stack may close. */
      let placing: Promise<void> = Promise.resolve();
      try {
        return await new Promise<Order>((resolve, reject) => {
          let updated = false;
          const unsubscribe = client.subscribe<Record<string, Order>>(
            { query: `subscription { ${api.updates} { ${ORDER_FIELDS} } }` },
            {
              next: ({ data, errors }) => {
                updated = true;
                unsubscribe();
                const order = data?.[api.updates];
                if (order) resolve(order);
                else reject(new Error(JSON.stringify(errors)));
              },
              error: (error) => {
                updated = true;
                reject(error);
              },
              complete: () => undefined,
            },
          );
          // One placement at a time, a little apart, until the first update arrives.
          const placeUntilUpdated = async () => {
            for (let n = 1; !updated; n += 1) {
              await placeOne(n);
              await new Promise((wake) => setTimeout(wake, 250));
            }
          };
          placing = placeUntilUpdated().catch(reject);
        });
      } finally {
        await placing;
        await client.dispose();
      }
    },
  };
};
