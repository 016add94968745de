import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { checkLedgerInvariant } from '@simple-securities/core-subgraph';
import { dataOf, startTestStack, type TestStack } from '../support/running-stack.js';

interface Order {
  id: string;
  symbol: string;
  side: string;
  type: string;
  status: string;
  quantity: string;
  filledQuantity: string;
  averagePrice: string | null;
  price: string | null;
  createdAt: string;
}

const ORDER_FIELDS =
  'id symbol side type status quantity filledQuantity averagePrice price createdAt';
const PLACE = `mutation ($input: PlaceCryptoOrderInput!) {
  placeOrder(input: $input) { replayed order { ${ORDER_FIELDS} } }
}`;
const CANCEL = `mutation ($id: ID!) { cancelOrder(id: $id) { order { ${ORDER_FIELDS} } } }`;
const ORDER = `query ($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
const WALLETS = `{ me { wallets { asset available reserved } } }`;

describe('spot orders through the router', () => {
  let stack: TestStack;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    stack = await startTestStack();
    alice = await stack.signIn('alice@example.com', 'alice-password-1');
    bob = await stack.signIn('bob@example.com', 'bob-password-1');
  });
  afterAll(async () => {
    await stack.close();
  });

  const place = async (token: string, input: Record<string, unknown>) => {
    const { body } = await stack.graphql<{ placeOrder: { replayed: boolean; order: Order } }>(
      PLACE,
      { token, variables: { input: { symbol: 'BTC-USDT', ...input } } },
    );
    return body;
  };
  const placed = async (token: string, input: Record<string, unknown>) =>
    dataOf(await place(token, input)).placeOrder;
  const orderOf = async (token: string, id: string) =>
    dataOf((await stack.graphql<{ order: Order | null }>(ORDER, { token, variables: { id } })).body)
      .order;
  /** asset → [available, reserved] for the quote and base of BTC-USDT. */
  const wallets = async (token: string) => {
    const { body } = await stack.graphql<{
      me: { wallets: { asset: string; available: string; reserved: string }[] };
    }>(WALLETS, { token });
    return Object.fromEntries(
      dataOf(body)
        .me.wallets.filter(({ asset }) => asset === 'USDT' || asset === 'BTC')
        .map(({ asset, available, reserved }) => [asset, [available, reserved]]),
    );
  };

  it('fills a crossing limit buy against a resting sell, settling base, quote and fees exactly', async () => {
    const sell = await placed(bob, {
      side: 'SELL',
      type: 'LIMIT',
      quantity: '0.01000',
      price: '90000.00',
      clientOrderId: 'bob-sell-1',
    });
    expect(sell.order).toMatchObject({ status: 'NEW', filledQuantity: '0.00000' });
    expect(await wallets(bob)).toEqual({
      USDT: ['100000.000000', '0.000000'],
      BTC: ['1.99000000', '0.01000000'],
    });

    const buy = await placed(alice, {
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.01000',
      price: '90500.00',
      clientOrderId: 'alice-buy-1',
    });
    expect(buy).toMatchObject({
      replayed: false,
      order: {
        symbol: 'BTC-USDT',
        side: 'BUY',
        type: 'LIMIT',
        status: 'FILLED',
        quantity: '0.01000',
        filledQuantity: '0.01000',
        averagePrice: '90000.00',
        price: '90500.00',
      },
    });
    expect(await orderOf(bob, sell.order.id)).toMatchObject({
      status: 'FILLED',
      averagePrice: '90000.00',
    });
    // 900 USDT at the maker's price; alice takes (0.1 % = 0.9), bob makes (0.05 % = 0.45).
    expect(await wallets(alice)).toEqual({
      USDT: ['99099.100000', '0.000000'],
      BTC: ['2.01000000', '0.00000000'],
    });
    expect(await wallets(bob)).toEqual({
      USDT: ['100899.550000', '0.000000'],
      BTC: ['1.99000000', '0.00000000'],
    });
  });

  it('answers a retry with the same client order id with the first order', async () => {
    const retry = await placed(alice, {
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.01000',
      price: '90500.00',
      clientOrderId: 'alice-buy-1',
    });
    expect(retry).toMatchObject({ replayed: true, order: { status: 'FILLED' } });
    expect((await wallets(alice)).BTC).toEqual(['2.01000000', '0.00000000']);
  });

  it('fills a market buy at the resting price', async () => {
    await placed(bob, {
      side: 'SELL',
      type: 'LIMIT',
      quantity: '0.00500',
      price: '91000.00',
      clientOrderId: 'bob-sell-2',
    });
    const buy = await placed(alice, {
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.00500',
      clientOrderId: 'alice-market-1',
    });
    expect(buy.order).toMatchObject({
      type: 'MARKET',
      status: 'FILLED',
      averagePrice: '91000.00',
      price: null,
    });
    // 455 USDT: alice pays 0.455 on top, bob gives up 0.2275.
    expect(await wallets(alice)).toEqual({
      USDT: ['98643.645000', '0.000000'],
      BTC: ['2.01500000', '0.00000000'],
    });
    expect(await wallets(bob)).toEqual({
      USDT: ['101354.322500', '0.000000'],
      BTC: ['1.98500000', '0.00000000'],
    });
  });

  it('rests a limit order far from the market and gives back its funds on cancel', async () => {
    const { order } = await placed(alice, {
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.01000',
      price: '50000.00',
      clientOrderId: 'alice-far-1',
    });
    expect(order.status).toBe('NEW');
    const [available, reserved] = (await wallets(alice)).USDT ?? [];
    expect(reserved).not.toBe('0.000000');
    expect(available).not.toBe('98643.645000');

    const { body } = await stack.graphql<{ cancelOrder: { order: Order } }>(CANCEL, {
      token: alice,
      variables: { id: order.id },
    });
    expect(dataOf(body).cancelOrder.order.status).toBe('CANCELED');
    expect((await wallets(alice)).USDT).toEqual(['98643.645000', '0.000000']);

    const again = await stack.graphql(CANCEL, { token: alice, variables: { id: order.id } });
    expect(again.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it("lists the caller's orders from the read model, filtered by status", async () => {
    const { body } = await stack.graphql<{
      me: { cryptoOrders: { edges: { node: { status: string; type: string } }[] } };
    }>(
      `{ me { cryptoOrders(status: FILLED, symbol: "btc-usdt") { edges { node { status type } } } } }`,
      { token: alice },
    );
    expect(dataOf(body).me.cryptoOrders.edges.map(({ node }) => node)).toEqual([
      { status: 'FILLED', type: 'MARKET' },
      { status: 'FILLED', type: 'LIMIT' },
    ]);
  });

  it("keeps each user's orders to themself", async () => {
    const { order } = await placed(bob, {
      side: 'SELL',
      type: 'LIMIT',
      quantity: '0.00100',
      price: '99000.00',
      clientOrderId: 'bob-private-1',
    });
    expect(await orderOf(alice, order.id)).toBeNull();
    const cancel = await stack.graphql(CANCEL, { token: alice, variables: { id: order.id } });
    expect(cancel.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await orderOf(bob, order.id))?.status).toBe('NEW');
  });

  it.each([
    [
      'more than the wallet holds',
      { quantity: '100.00000', price: '90000.00' },
      'INSUFFICIENT_FUNDS',
    ],
    ['a quantity off the lot grid', { quantity: '0.000001', price: '90000.00' }, 'BAD_USER_INPUT'],
    ['a price off the tick grid', { quantity: '0.01000', price: '90000.001' }, 'BAD_USER_INPUT'],
    ['a notional below the minimum', { quantity: '0.00001', price: '100.00' }, 'BAD_USER_INPUT'],
    ['a JSON number', { quantity: 0.01, price: '90000.00' }, 'BAD_USER_INPUT'],
    ['an unlisted symbol', { symbol: 'NOPE-USDT', quantity: '1', price: '1' }, 'BAD_USER_INPUT'],
    [
      'a DAY order',
      { quantity: '0.01000', price: '90000.00', timeInForce: 'DAY' },
      'BAD_USER_INPUT',
    ],
  ])('refuses %s', async (_what, fields, code) => {
    const body = await place(bob, {
      side: 'SELL',
      type: 'LIMIT',
      clientOrderId: `bad-${code}-${Math.random()}`,
      ...fields,
    });
    expect(body.errors?.[0]?.extensions?.code).toBe(code);
  });

  it('tells each user about their own orders only, as they change', async () => {
    const clients: Client[] = [];
    /** Placements still under way when an update arrives: awaited before the stack may close. */
    const placing: Promise<unknown>[] = [];
    /** The first update on `token`'s subscription, while `token` places orders until one arrives. */
    const firstUpdate = (token: string, owner: string) => {
      const client = createClient({
        url: stack.router.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${token}` },
      });
      clients.push(client);
      return new Promise<Order & { clientOrderId: string }>((resolve, reject) => {
        // The subscription reaches the subgraph through the router a moment later.
        let sent = 0;
        const placer = setInterval(() => {
          sent += 1;
          placing.push(
            place(token, {
              side: 'BUY',
              type: 'LIMIT',
              quantity: '0.00100',
              price: '10000.00',
              clientOrderId: `${owner}-live-${sent}`,
            }),
          );
        }, 250);
        const unsubscribe = client.subscribe<{ myOrderUpdates: Order & { clientOrderId: string } }>(
          { query: `subscription { myOrderUpdates { clientOrderId ${ORDER_FIELDS} } }` },
          {
            next: ({ data, errors }) => {
              clearInterval(placer);
              unsubscribe();
              if (data) resolve(data.myOrderUpdates);
              else reject(new Error(JSON.stringify(errors)));
            },
            error: (error) => {
              clearInterval(placer);
              reject(error);
            },
            complete: () => undefined,
          },
        );
      });
    };
    try {
      const [alices, bobs] = await Promise.all([
        firstUpdate(alice, 'alice'),
        firstUpdate(bob, 'bob'),
      ]);
      expect(alices).toMatchObject({ status: 'NEW', side: 'BUY', price: '10000.00' });
      expect(alices.clientOrderId).toMatch(/^alice-live-/);
      expect(bobs.clientOrderId).toMatch(/^bob-live-/);
    } finally {
      await Promise.allSettled(placing);
      await Promise.all(clients.map((client) => client.dispose()));
    }
  });

  it('leaves the ledger balanced', async () => {
    expect(await checkLedgerInvariant(stack.database)).toEqual({
      unbalancedAssets: [],
      unbalancedTransactions: [],
      driftedWallets: [],
    });
  });
});
