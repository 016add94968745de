import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { causeUntilReceived, subscribeLive } from '../support/live-subscription.js';
import { depositShares, ordersThroughRouter, STOCK_ORDERS } from '../support/orders.js';
import { dataOf, startTestStack, type TestStack } from '../support/running-stack.js';

const PLACE = `mutation ($input: PlaceCryptoOrderInput!) {
  placeOrder(input: $input) { order { id status } }
}`;
const BOOK_FIELDS =
  'symbol sequence updatedAt bids { price quantity orderCount } asks { price quantity orderCount }';
const TRADE_FIELDS = 'id symbol price quantity takerSide time';
const FILL_FIELDS = 'tradeId orderId symbol side price quantity fee feeAsset liquidity time';
const POSITION_FIELDS =
  'symbol currency quantity averageCost costBasis lastPrice priceTime marketValue unrealisedPnl realisedPnl';

interface Level {
  price: string;
  quantity: string;
  orderCount: number;
}
interface Book {
  symbol: string;
  sequence: number;
  updatedAt: string | null;
  bids: Level[];
  asks: Level[];
}
interface Trade {
  id: string;
  price: string;
  quantity: string;
  takerSide: string;
}
interface Position {
  quantity: string;
  costBasis: string;
  lastPrice: string;
  marketValue: string;
  unrealisedPnl: string;
}

/** `a × b` of two plain decimals, exactly, at the sum of their decimals. */
const product = (a: string, b: string) => {
  const units = (text: string) => BigInt(text.replace('.', ''));
  const scale = (text: string) => text.split('.')[1]?.length ?? 0;
  const digits = (units(a) * units(b)).toString().padStart(scale(a) + scale(b) + 1, '0');
  const at = digits.length - scale(a) - scale(b);
  return `${digits.slice(0, at)}.${digits.slice(at)}`;
};

/** `text` to `scale` decimals when the dropped digits are zeros; USDT amounts here have 6. */
const atScale = (text: string, scale: number) => {
  const [whole, fraction = ''] = text.split('.');
  expect(fraction.slice(scale)).toMatch(/^0*$/);
  return `${whole}.${fraction.slice(0, scale).padEnd(scale, '0')}`;
};

describe('order books, trades and portfolios through the router', () => {
  let stack: TestStack;
  let alice: string;
  let bob: string;
  const clients: Client[] = [];
  let sellId = '';
  let buyId = '';

  const connect = (token: string) => {
    const client = createClient({
      url: stack.router.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    clients.push(client);
    return client;
  };
  const place = async (token: string, input: Record<string, unknown>) => {
    const { body } = await stack.graphql<{ placeOrder: { order: { id: string; status: string } } }>(
      PLACE,
      { token, variables: { input: { symbol: 'BTC-USDT', type: 'LIMIT', ...input } } },
    );
    return dataOf(body).placeOrder.order;
  };
  const query = async <Data>(text: string, token?: string) =>
    dataOf((await stack.graphql<Data>(text, token ? { token } : {})).body);

  beforeAll(async () => {
    stack = await startTestStack();
    alice = await stack.signIn('alice@example.com', 'alice-password-1');
    bob = await stack.signIn('bob@example.com', 'bob-password-1');
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await stack?.close();
  });

  it('tells a user their crypto order was accepted, live and in their notifications', async () => {
    const live = subscribeLive<{ notificationAdded: { type: string; title: string } }>(
      connect(alice),
      'subscription { notificationAdded { type title } }',
    );
    await causeUntilReceived(live, (attempt) =>
      place(alice, {
        side: 'BUY',
        quantity: '0.00100',
        price: '10000.00',
        clientOrderId: `alice-far-${attempt}`,
      }),
    );
    live.stop();
    expect(live.events[0]?.notificationAdded).toEqual({
      type: 'ORDER',
      title: 'Order accepted: BUY 0.00100 BTC-USDT at 10000.00',
    });
    const { me } = await query<{ me: { notifications: { edges: { node: { title: string } }[] } } }>(
      '{ me { notifications(first: 20, type: ORDER) { edges { node { title } } } } }',
      alice,
    );
    expect(me.notifications.edges.map(({ node }) => node.title)).toContain(
      'Order accepted: BUY 0.00100 BTC-USDT at 10000.00',
    );
  });

  it('shows a resting order in orderBook and pushes it to orderBookUpdates', async () => {
    const books = subscribeLive<{ orderBookUpdates: Book }>(
      connect(bob),
      `subscription { orderBookUpdates(symbol: "BTC-USDT", depth: 5) { ${BOOK_FIELDS} } }`,
    );
    // The first message is the book as it is: the subscription is listening.
    const [now] = await books.received(1);
    expect(now?.orderBookUpdates.asks).toEqual([]);

    sellId = (
      await place(bob, {
        side: 'SELL',
        quantity: '0.01000',
        price: '90000.00',
        clientOrderId: 'bob-sell-1',
      })
    ).id;

    const { orderBook } = await query<{ orderBook: Book }>(
      `{ orderBook(symbol: "btc-usdt", depth: 5) { ${BOOK_FIELDS} } }`,
    );
    expect(orderBook).toMatchObject({
      symbol: 'BTC-USDT',
      asks: [{ price: '90000.00', quantity: '0.01000', orderCount: 1 }],
    });
    expect(orderBook.bids[0]?.price).toBe('10000.00');
    expect(orderBook.sequence).toBeGreaterThan(now?.orderBookUpdates.sequence ?? 0);

    let pushed: Book | undefined;
    for (let count = 2; pushed?.sequence !== orderBook.sequence; count += 1)
      pushed = (await books.received(count)).at(-1)?.orderBookUpdates;
    books.stop();
    expect(pushed).toEqual(orderBook);
  });

  it('fills a crossing buy: recentTrades and both users trades show it, the book no longer does', async () => {
    buyId = (
      await place(alice, {
        side: 'BUY',
        quantity: '0.01000',
        price: '90500.00',
        clientOrderId: 'alice-buy-1',
      })
    ).id;

    const { recentTrades, orderBook } = await query<{ recentTrades: Trade[]; orderBook: Book }>(
      `{ recentTrades(symbol: "BTC-USDT", first: 5) { ${TRADE_FIELDS} }
         orderBook(symbol: "BTC-USDT") { asks { price } } }`,
    );
    expect(recentTrades).toMatchObject([
      { symbol: 'BTC-USDT', price: '90000.00', quantity: '0.01000', takerSide: 'BUY' },
    ]);
    expect(orderBook.asks).toEqual([]);

    const fills = async (token: string) =>
      (
        await query<{ me: { cryptoTrades: { edges: { node: Record<string, unknown> }[] } } }>(
          `{ me { cryptoTrades(first: 5) { edges { node { ${FILL_FIELDS} } } } } }`,
          token,
        )
      ).me.cryptoTrades.edges.map(({ node }) => node);
    const tradeId = recentTrades[0]?.id;
    expect(await fills(alice)).toMatchObject([
      {
        tradeId,
        orderId: buyId,
        side: 'BUY',
        price: '90000.00',
        quantity: '0.01000',
        // 0.1 % taker fee on 900 USDT.
        fee: '0.900000',
        feeAsset: 'USDT',
        liquidity: 'TAKER',
      },
    ]);
    expect(await fills(bob)).toMatchObject([
      { tradeId, orderId: sellId, side: 'SELL', fee: '0.450000', liquidity: 'MAKER' },
    ]);
  });

  it("values the buyer's position at the last price", async () => {
    const { me } = await query<{
      me: { cryptoPortfolio: { positions: Position[]; totals: Record<string, string>[] } };
    }>(
      `{ me { cryptoPortfolio { positions { ${POSITION_FIELDS} }
           totals { currency costBasis marketValue unrealisedPnl realisedPnl } } } }`,
      alice,
    );
    const [position] = me.cryptoPortfolio.positions;
    expect(position).toMatchObject({
      symbol: 'BTC-USDT',
      currency: 'USDT',
      quantity: '0.01000',
      // 900 USDT and its 0.9 fee.
      costBasis: '900.900000',
      averageCost: '90090.000000',
      realisedPnl: '0.000000',
    });
    const marketValue = atScale(product('0.01000', position?.lastPrice ?? ''), 6);
    expect(position?.marketValue).toBe(marketValue);
    const [whole = '', fraction = ''] = marketValue.split('.');
    const unrealised = BigInt(`${whole}${fraction}`) - 900_900_000n;
    expect(BigInt((position?.unrealisedPnl ?? '').replace('.', ''))).toBe(unrealised);
    expect(me.cryptoPortfolio.totals).toEqual([
      {
        currency: 'USDT',
        costBasis: '900.900000',
        marketValue,
        unrealisedPnl: position?.unrealisedPnl,
        realisedPnl: '0.000000',
      },
    ]);
  });

  it('pushes each new trade to tradeUpdates', async () => {
    const trades = subscribeLive<{ tradeUpdates: Trade }>(
      connect(alice),
      `subscription { tradeUpdates(symbol: "BTC-USDT") { ${TRADE_FIELDS} } }`,
    );
    await causeUntilReceived(trades, async (attempt) => {
      await place(bob, {
        side: 'SELL',
        quantity: '0.00100',
        price: '89000.00',
        clientOrderId: `bob-live-${attempt}`,
      });
      await place(alice, {
        side: 'BUY',
        quantity: '0.00100',
        price: '89000.00',
        clientOrderId: `alice-live-${attempt}`,
      });
    });
    trades.stop();
    const { recentTrades } = await query<{ recentTrades: Trade[] }>(
      `{ recentTrades(symbol: "BTC-USDT", first: 100) { ${TRADE_FIELDS} } }`,
    );
    const [pushed] = trades.events;
    expect(pushed?.tradeUpdates).toMatchObject({
      price: '89000.00',
      quantity: '0.00100',
      takerSide: 'BUY',
    });
    expect(recentTrades).toContainEqual(pushed?.tradeUpdates);
  });

  it('shows a stock trade in the stock twins and publishes stock orders to the bus', async () => {
    const stock = ordersThroughRouter(stack, STOCK_ORDERS, 'AAPL');
    const notifications = subscribeLive<{ notificationAdded: { title: string } }>(
      connect(alice),
      'subscription { notificationAdded { title } }',
    );
    // Each far buy is one more acceptance on the bus, until the subscription hears one.
    await causeUntilReceived(notifications, (attempt) =>
      stock.placed(alice, {
        side: 'BUY',
        type: 'LIMIT',
        quantity: '1',
        price: '100.00',
        clientOrderId: `alice-aapl-far-${attempt}`,
      }),
    );
    notifications.stop();
    expect(notifications.events[0]?.notificationAdded.title).toBe(
      'Order accepted: BUY 1 AAPL at 100.00',
    );

    await depositShares(stack, bob, 'AAPL', '3');
    const sell = await stock.placed(bob, {
      side: 'SELL',
      type: 'LIMIT',
      quantity: '3',
      price: '250.00',
      timeInForce: 'GTC',
      clientOrderId: 'bob-aapl-sell-1',
    });
    const buy = await stock.placed(alice, {
      side: 'BUY',
      type: 'LIMIT',
      quantity: '3',
      price: '251.00',
      clientOrderId: 'alice-aapl-buy-1',
    });
    expect(buy.order.status).toBe('FILLED');

    const { stockOrderBook, stockRecentTrades } = await query<{
      stockOrderBook: Book;
      stockRecentTrades: Trade[];
    }>(
      `{ stockOrderBook(symbol: "aapl", depth: 10) { ${BOOK_FIELDS} }
         stockRecentTrades(symbol: "AAPL") { ${TRADE_FIELDS} } }`,
    );
    expect(stockRecentTrades).toMatchObject([
      { symbol: 'AAPL', price: '250.00', quantity: '3', takerSide: 'BUY' },
    ]);
    expect(stockOrderBook).toMatchObject({ symbol: 'AAPL', asks: [] });
    expect(stockOrderBook.bids[0]).toMatchObject({ price: '100.00' });

    const stockFills = async (token: string) =>
      (
        await query<{ me: { stockTrades: { edges: { node: Record<string, unknown> }[] } } }>(
          `{ me { stockTrades(first: 5) { edges { node { ${FILL_FIELDS} } } } } }`,
          token,
        )
      ).me.stockTrades.edges.map(({ node }) => node);
    const tradeId = stockRecentTrades[0]?.id;
    expect(await stockFills(alice)).toMatchObject([
      {
        tradeId,
        orderId: buy.order.id,
        side: 'BUY',
        price: '250.00',
        quantity: '3',
        // 0.1 % taker fee on 750 USD.
        fee: '0.75',
        feeAsset: 'USD',
        liquidity: 'TAKER',
      },
    ]);
    expect(await stockFills(bob)).toMatchObject([
      { tradeId, orderId: sell.order.id, side: 'SELL', liquidity: 'MAKER' },
    ]);

    const { me } = await query<{ me: { stockPortfolio: { positions: Position[] } } }>(
      `{ me { stockPortfolio { positions { ${POSITION_FIELDS} } } } }`,
      alice,
    );
    expect(me.stockPortfolio.positions).toMatchObject([
      // 750 USD and its 0.75 fee.
      { symbol: 'AAPL', currency: 'USD', quantity: '3', costBasis: '750.75' },
    ]);
  });

  it.each([
    ['a depth above 100', '{ orderBook(symbol: "BTC-USDT", depth: 101) { sequence } }'],
    ['a depth of 0', '{ stockOrderBook(symbol: "AAPL", depth: 0) { sequence } }'],
    ['an unlisted symbol', '{ recentTrades(symbol: "NOPE-USDT") { id } }'],
    ['too many trades', '{ stockRecentTrades(symbol: "AAPL", first: 101) { id } }'],
  ])('refuses %s with BAD_USER_INPUT', async (_what, text) => {
    const { body } = await stack.graphql(text);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
