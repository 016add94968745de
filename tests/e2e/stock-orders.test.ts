import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkLedgerInvariant } from '@simple-securities/core-subgraph';
import { systemClock } from '@simple-securities/shared-kernel';
import { depositShares, ordersThroughRouter, STOCK_ORDERS } from '../support/orders.js';
import { dataOf, startTestStack, type TestStack } from '../support/running-stack.js';

describe('stock orders through the router, the market kept open', () => {
  let stack: TestStack;
  let alice: string;
  let bob: string;
  let orders: ReturnType<typeof ordersThroughRouter>;
  /** asset → [available, reserved] for USD and AAPL. */
  const wallets = (token: string) => orders.wallets(token, ['USD', 'AAPL']);

  beforeAll(async () => {
    stack = await startTestStack();
    orders = ordersThroughRouter(stack, STOCK_ORDERS, 'AAPL');
    alice = await stack.signIn('alice@example.com', 'alice-password-1');
    bob = await stack.signIn('bob@example.com', 'bob-password-1');
    await depositShares(stack, bob, 'AAPL', '20');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('fills a limit buy of AAPL against a resting sell, moving shares, dollars and fees', async () => {
    const sell = await orders.placed(bob, {
      side: 'SELL',
      type: 'LIMIT',
      quantity: '10',
      price: '275.00',
      timeInForce: 'GTC',
      clientOrderId: 'bob-aapl-sell-1',
    });
    expect(sell.order).toMatchObject({ status: 'NEW', filledQuantity: '0' });
    expect(await wallets(bob)).toEqual({ USD: ['100000.00', '0.00'], AAPL: ['10', '10'] });

    const buy = await orders.placed(alice, {
      side: 'BUY',
      type: 'LIMIT',
      quantity: '10',
      price: '276.00',
      clientOrderId: 'alice-aapl-buy-1',
    });
    expect(buy).toMatchObject({
      replayed: false,
      order: {
        symbol: 'AAPL',
        side: 'BUY',
        type: 'LIMIT',
        status: 'FILLED',
        quantity: '10',
        filledQuantity: '10',
        averagePrice: '275.00',
        price: '276.00',
      },
    });
    // 2,750 USD at the maker's price; alice takes (0.1 % = 2.75), bob makes (0.05 % = 1.375, 1.38).
    expect(await wallets(alice)).toEqual({ USD: ['97247.25', '0.00'], AAPL: ['10', '0'] });
    expect(await wallets(bob)).toEqual({ USD: ['102748.62', '0.00'], AAPL: ['10', '0'] });
  });

  it('fills a market buy at the resting price', async () => {
    await orders.placed(bob, {
      side: 'SELL',
      type: 'LIMIT',
      quantity: '5',
      price: '280.00',
      timeInForce: 'GTC',
      clientOrderId: 'bob-aapl-sell-2',
    });
    const buy = await orders.placed(alice, {
      side: 'BUY',
      type: 'MARKET',
      quantity: '5',
      clientOrderId: 'alice-aapl-market-1',
    });
    expect(buy.order).toMatchObject({ type: 'MARKET', status: 'FILLED', averagePrice: '280.00' });
    expect((await wallets(alice)).AAPL).toEqual(['15', '0']);
  });

  it('rests a far limit order and gives back its funds on cancel', async () => {
    const before = await wallets(alice);
    const { order } = await orders.placed(alice, {
      side: 'BUY',
      type: 'LIMIT',
      quantity: '1',
      price: '100.00',
      clientOrderId: 'alice-aapl-far-1',
    });
    expect(order).toMatchObject({ status: 'NEW' });
    // 100 USD, the 0.10 taker fee, two cents for rounding.
    expect((await wallets(alice)).USD?.[1]).toBe('100.12');

    const cancelled = await orders.cancel(alice, order.id);
    expect(dataOf(cancelled).cancelStockOrder?.order.status).toBe('CANCELED');
    expect(await wallets(alice)).toEqual(before);
  });

  it('amends a resting order: the reservation follows, and only the owner may', async () => {
    const { order } = await orders.placed(alice, {
      side: 'BUY',
      type: 'LIMIT',
      quantity: '10',
      price: '100.00',
      clientOrderId: 'alice-aapl-amend-1',
    });
    expect((await wallets(alice)).USD?.[1]).toBe('1001.20');

    const smaller = dataOf(await orders.amend(alice, { id: order.id, quantity: '4' }));
    expect(smaller.amendStockOrder?.order).toMatchObject({ quantity: '4', price: '100.00' });
    expect((await wallets(alice)).USD?.[1]).toBe('400.48');

    const higher = dataOf(await orders.amend(alice, { id: order.id, price: '101.00' }));
    expect(higher.amendStockOrder?.order).toMatchObject({ quantity: '4', price: '101.00' });
    expect((await wallets(alice)).USD?.[1]).toBe('404.49');

    const notHers = await orders.amend(bob, { id: order.id, price: '99.00' });
    expect(notHers.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await orders.cancel(alice, order.id);
    expect((await wallets(alice)).USD?.[1]).toBe('0.00');
  });

  it('fires a stop sell when a trade reaches its stop price', async () => {
    const stop = await orders.placed(alice, {
      side: 'SELL',
      type: 'STOP',
      quantity: '2',
      stopPrice: '270.00',
      clientOrderId: 'alice-aapl-stop-1',
    });
    expect(stop.order).toMatchObject({ status: 'NEW', type: 'STOP', stopPrice: '270.00' });
    await orders.placed(bob, {
      side: 'BUY',
      type: 'LIMIT',
      quantity: '3',
      price: '270.00',
      timeInForce: 'GTC',
      clientOrderId: 'bob-aapl-bid-1',
    });
    const carol = await stack.signUp('carol');
    await depositShares(stack, carol.token, 'AAPL', '1');

    // Carol's sale at 270 is the trade that reaches alice's stop.
    await orders.placed(carol.token, {
      side: 'SELL',
      type: 'LIMIT',
      quantity: '1',
      price: '270.00',
      clientOrderId: 'carol-aapl-sell-1',
    });

    expect(await orders.orderOf(alice, stop.order.id)).toMatchObject({
      status: 'FILLED',
      filledQuantity: '2',
      averagePrice: '270.00',
    });
    expect((await wallets(alice)).AAPL).toEqual(['13', '0']);
  });

  it.each([
    ['a stop buy, which has no worst price', { side: 'BUY', type: 'STOP', stopPrice: '300.00' }],
    ['a fraction of a share', { side: 'BUY', type: 'LIMIT', price: '1.00', quantity: '0.5' }],
    ['a price off the cent', { side: 'BUY', type: 'LIMIT', price: '1.001' }],
    ['a stop-limit without a stop price', { side: 'BUY', type: 'STOP_LIMIT', price: '1.00' }],
  ])('refuses %s as BAD_USER_INPUT', async (_what, fields) => {
    const body = await orders.place(alice, {
      quantity: '1',
      clientOrderId: `bad-${Math.random()}`,
      ...fields,
    });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("lists the caller's stock orders, filtered by status and symbol", async () => {
    const { body } = await stack.graphql<{
      me: { stockOrders: { edges: { node: { status: string; type: string } }[] } };
    }>(
      `{ me { stockOrders(status: FILLED, symbol: "aapl") { edges { node { status type } } } } }`,
      {
        token: alice,
      },
    );
    expect(dataOf(body).me.stockOrders.edges.map(({ node }) => node)).toEqual([
      { status: 'FILLED', type: 'STOP' },
      { status: 'FILLED', type: 'MARKET' },
      { status: 'FILLED', type: 'LIMIT' },
    ]);
  });

  it('tells the caller about their own stock orders as they change', async () => {
    const update = await orders.firstUpdate(bob, (n) =>
      orders.place(bob, {
        side: 'BUY',
        type: 'LIMIT',
        quantity: '1',
        price: '10.00',
        clientOrderId: `bob-aapl-live-${n}`,
      }),
    );
    expect(update).toMatchObject({ symbol: 'AAPL', status: 'NEW', price: '10.00' });
    expect(update.clientOrderId).toMatch(/^bob-aapl-live-/);
  });

  it('leaves the ledger balanced', async () => {
    expect(await checkLedgerInvariant(stack.database)).toEqual({
      unbalancedAssets: [],
      unbalancedTransactions: [],
      driftedWallets: [],
    });
  });
});

describe('stock orders through the router, the market closed', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // A Sunday for the stock service; everything else keeps real time (tokens expire by it).
    const sunday = { now: () => new Date('2026-11-29T15:00:00Z') };
    stack = await startTestStack({
      env: { STOCK_MARKET_ALWAYS_OPEN: 'false' },
      clockOf: (service) => (service === 'stock' ? sunday : systemClock),
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('refuses an order as MARKET_CLOSED and holds nothing', async () => {
    const alice = await stack.signIn('alice@example.com', 'alice-password-1');
    const orders = ordersThroughRouter(stack, STOCK_ORDERS, 'AAPL');
    const body = await orders.place(alice, {
      side: 'BUY',
      type: 'LIMIT',
      quantity: '1',
      price: '275.00',
      clientOrderId: 'alice-closed-1',
    });
    expect(body.errors?.[0]?.extensions?.code).toBe('MARKET_CLOSED');
    expect((await orders.wallets(alice, ['USD'])).USD).toEqual(['100000.00', '0.00']);
  });
});
