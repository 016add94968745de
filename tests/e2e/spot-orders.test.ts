import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkLedgerInvariant } from '@simple-securities/core-subgraph';
import { CRYPTO_ORDERS, ordersThroughRouter } from '../support/orders.js';
import { dataOf, startTestStack, type TestStack } from '../support/running-stack.js';

describe('spot orders through the router', () => {
  let stack: TestStack;
  let alice: string;
  let bob: string;
  let orders: ReturnType<typeof ordersThroughRouter>;

  beforeAll(async () => {
    stack = await startTestStack();
    orders = ordersThroughRouter(stack, CRYPTO_ORDERS, 'BTC-USDT');
    alice = await stack.signIn('alice@example.com', 'alice-password-1');
    bob = await stack.signIn('bob@example.com', 'bob-password-1');
  });
  afterAll(async () => {
    await stack.close();
  });

  const place = (token: string, input: Record<string, unknown>) => orders.place(token, input);
  const placed = (token: string, input: Record<string, unknown>) => orders.placed(token, input);
  const orderOf = (token: string, id: string) => orders.orderOf(token, id);
  /** asset → [available, reserved] for the quote and base of BTC-USDT. */
  const wallets = (token: string) => orders.wallets(token, ['USDT', 'BTC']);

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

    const body = await orders.cancel(alice, order.id);
    expect(dataOf(body).cancelOrder?.order.status).toBe('CANCELED');
    expect((await wallets(alice)).USDT).toEqual(['98643.645000', '0.000000']);

    const again = await orders.cancel(alice, order.id);
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('amends a resting order: a smaller quantity gives back, a higher price reserves more first', async () => {
    const { order } = await placed(alice, {
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.01000',
      price: '50000.00',
      clientOrderId: 'alice-amend-1',
    });
    // 500 USDT at the limit, the 0.1 % taker fee, two minor units per lot.
    expect((await wallets(alice)).USDT?.[1]).toBe('500.502000');

    const smaller = dataOf(await orders.amend(alice, { id: order.id, quantity: '0.00500' }));
    expect(smaller.amendOrder?.order).toMatchObject({ quantity: '0.00500', price: '50000.00' });
    expect((await wallets(alice)).USDT?.[1]).toBe('250.251000');

    const higher = dataOf(await orders.amend(alice, { id: order.id, price: '60000.00' }));
    expect(higher.amendOrder?.order).toMatchObject({ quantity: '0.00500', price: '60000.00' });
    expect((await wallets(alice)).USDT?.[1]).toBe('300.301000');

    await orders.cancel(alice, order.id);
    expect((await wallets(alice)).USDT).toEqual(['98643.645000', '0.000000']);
    const ended = await orders.amend(alice, { id: order.id, price: '61000.00' });
    expect(ended.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('reserves a stop-limit buy at its limit until a trade reaches its stop', async () => {
    const { order } = await placed(alice, {
      side: 'BUY',
      type: 'STOP_LIMIT',
      quantity: '0.00100',
      price: '120000.00',
      stopPrice: '110000.00',
      clientOrderId: 'alice-stop-limit-1',
    });
    expect(order).toMatchObject({ status: 'NEW', type: 'STOP_LIMIT', stopPrice: '110000.00' });
    // 120 USDT at its limit, the taker fee, two minor units per lot.
    expect((await wallets(alice)).USDT?.[1]).toBe('120.120200');
    await orders.cancel(alice, order.id);
    expect((await wallets(alice)).USDT?.[1]).toBe('0.000000');
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
    const cancel = await orders.cancel(alice, order.id);
    expect(cancel.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
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
    const placeFar = (token: string, owner: string) => (n: number) =>
      place(token, {
        side: 'BUY',
        type: 'LIMIT',
        quantity: '0.00100',
        price: '10000.00',
        clientOrderId: `${owner}-live-${n}`,
      });
    const [alices, bobs] = await Promise.all([
      orders.firstUpdate(alice, placeFar(alice, 'alice')),
      orders.firstUpdate(bob, placeFar(bob, 'bob')),
    ]);
    expect(alices).toMatchObject({ status: 'NEW', side: 'BUY', price: '10000.00' });
    expect(alices.clientOrderId).toMatch(/^alice-live-/);
    expect(bobs.clientOrderId).toMatch(/^bob-live-/);
  });

  it('leaves the ledger balanced', async () => {
    expect(await checkLedgerInvariant(stack.database)).toEqual({
      unbalancedAssets: [],
      unbalancedTransactions: [],
      driftedWallets: [],
    });
  });
});
