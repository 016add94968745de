import { afterAll, beforeAll, expect, it } from '@jest/globals';
import pino from 'pino';
import {
  CRYPTO_SOURCE,
  ORDER_ACCEPTED,
  ORDER_AMENDED,
  ORDER_CANCELLED,
  ORDER_FILLED,
  ORDER_PARTIALLY_FILLED,
  ORDER_TRIGGERED,
  TRADE_EXECUTED,
} from '@simple-securities/contracts';
import { CRYPTO_PAIRS } from '@simple-securities/market-data';
import { migrate, PostgresEventStore, type SqlDatabase } from '@simple-securities/postgres';
import { describeOnEachEngine } from '@simple-securities/postgres/testing';
import { migrationsOf } from '@simple-securities/service-kit';
import { systemClock } from '@simple-securities/shared-kernel';
import {
  aroundTheClock,
  exactDecimal,
  type FundsPort,
  OrderBookDesk,
  type OrderBookView,
  type PublicTradeView,
} from '@simple-securities/trading';
import {
  postgresOrderBookJournal,
  postgresOrderList,
  type RunningMarketSide,
  startMarketSide,
  tradingInstrumentOf,
} from '@simple-securities/trading-adapters';
import { cryptoSubgraph, walletScaleOf } from '../src/composition-root.js';

const logger = pino({ level: 'silent' });
const btc = (() => {
  const pair = CRYPTO_PAIRS.find(({ symbol }) => symbol === 'BTC-USDT');
  if (!pair) throw new Error('BTC-USDT is not listed');
  return tradingInstrumentOf(pair, walletScaleOf);
})();
const fees = { maker: exactDecimal('0.0005'), taker: exactDecimal('0.001') };

/** Core's funds, always agreeing: this suite is about what the books' read side shows. */
const funds: FundsPort = {
  reserve: async () => undefined,
  release: async () => undefined,
  settle: async () => undefined,
};

/** A limit order of `lots` (0.00001 BTC each) at `ticks` (0.01 USDT each). */
const limit = (
  orderId: string,
  userId: string,
  side: 'buy' | 'sell',
  lots: number,
  ticks: number,
) => ({
  orderId,
  userId,
  clientOrderId: `client-${orderId}`,
  side,
  orderType: 'limit' as const,
  lots,
  ticks,
  stopTicks: null,
  timeInForce: 'GTC' as const,
});

await describeOnEachEngine('the read side of a spot book', (engine) => {
  let database: SqlDatabase;
  let marketSide: RunningMarketSide;
  let desk: OrderBookDesk;
  let lastPrice = '91000.00';
  /** The orders the desk said changed, as `myOrderUpdates` hears of them. */
  const changed: string[] = [];

  const book = (depth = 10) => marketSide.queries.orderBook('btc-usdt', depth);
  const published = async (types: readonly string[]) => {
    const { rows } = await database.query<{ type: string; subject: string; envelope: unknown }>(
      `SELECT type, subject, envelope FROM bus_messages WHERE type = ANY($1::text[]) ORDER BY position`,
      [types],
    );
    return rows.map(({ type, envelope }) => ({
      type,
      ...(typeof envelope === 'string' ? JSON.parse(envelope) : envelope),
    })) as { type: string; source: string; subject: string; data: Record<string, unknown> }[];
  };

  beforeAll(async () => {
    database = await engine.open();
    await migrate({ database, directories: migrationsOf([cryptoSubgraph]), logger });
    marketSide = startMarketSide({
      database,
      logger,
      schema: 'crypto',
      listedSymbol: (symbol) => symbol.toUpperCase(),
      lastPrices: { lastPrice: async () => ({ price: lastPrice, time: new Date() }) },
    });
    desk = await OrderBookDesk.open({
      instrument: btc,
      funds,
      journal: postgresOrderBookJournal(
        'crypto',
        database,
        new PostgresEventStore(database, { logger }),
        () => btc,
        { projections: [marketSide.projection({ fees, source: CRYPTO_SOURCE })] },
      ),
      fees,
      clock: systemClock,
      session: aroundTheClock,
      // Crypto's market never closes: nothing is ever scheduled.
      scheduleAt: () => () => undefined,
      logger,
      ordersChanged: (orderIds) => changed.push(...orderIds),
    });
  });
  afterAll(async () => {
    await marketSide?.stop();
    await database?.close();
  });

  it('shows an empty book before the first order', async () => {
    expect(await book()).toEqual({
      symbol: 'BTC-USDT',
      bids: [],
      asks: [],
      sequence: 0,
      updatedAt: null,
    });
  });

  it('sums resting orders into price levels, best first, and publishes each acceptance', async () => {
    await desk.place(limit('sell-1', 'bob', 'sell', 1000, 9_000_000));
    await desk.place(limit('sell-2', 'bob', 'sell', 500, 9_000_000));
    await desk.place(limit('sell-3', 'carol', 'sell', 100, 9_100_000));
    await desk.place(limit('buy-far', 'carol', 'buy', 100, 5_000_000));

    expect(await book()).toMatchObject({
      asks: [
        { price: '90000.00', quantity: '0.01500', orderCount: 2 },
        { price: '91000.00', quantity: '0.00100', orderCount: 1 },
      ],
      bids: [{ price: '50000.00', quantity: '0.00100', orderCount: 1 }],
      // Each placement records SpotOrderPlaced and OrderAccepted.
      sequence: 8,
    });
    expect((await book(1)).asks).toHaveLength(1);
    const accepted = await published([ORDER_ACCEPTED]);
    expect(accepted.map(({ subject }) => subject)).toEqual([
      'sell-1',
      'sell-2',
      'sell-3',
      'buy-far',
    ]);
    expect(accepted[0]).toMatchObject({
      source: CRYPTO_SOURCE,
      data: {
        orderId: 'sell-1',
        clientOrderId: 'client-sell-1',
        userId: 'bob',
        symbol: 'BTC-USDT',
        side: 'SELL',
        type: 'LIMIT',
        quantity: '0.01000',
        price: '90000.00',
      },
    });
  });

  it('records a crossing buy on the tape, in both users fills, and takes it off the book', async () => {
    const trades: PublicTradeView[] = [];
    const tradeFeed = marketSide.queries.updates.trades('BTC-USDT');
    const receiving = (async () => {
      for await (const trade of tradeFeed) {
        trades.push(trade);
        if (trades.length === 2) break;
      }
    })();

    await desk.place(limit('buy-1', 'alice', 'buy', 1200, 9_050_000));
    await receiving;

    const tape = await marketSide.queries.recentTrades('BTC-USDT', 10);
    expect(tape.map(({ price, quantity, takerSide }) => ({ price, quantity, takerSide }))).toEqual([
      { price: '90000.00', quantity: '0.00200', takerSide: 'BUY' },
      { price: '90000.00', quantity: '0.01000', takerSide: 'BUY' },
    ]);
    // Live, oldest first, as the tape recorded them.
    expect(trades).toEqual([...tape].reverse());
    expect((await book()).asks).toEqual([
      { price: '90000.00', quantity: '0.00300', orderCount: 1 },
      { price: '91000.00', quantity: '0.00100', orderCount: 1 },
    ]);

    const fills = async (userId: string) =>
      (await marketSide.queries.myTrades({ userId }, userId, { first: 10 })).items.map(
        ({ node }) => node,
      );
    expect(await fills('alice')).toMatchObject([
      { orderId: 'buy-1', side: 'BUY', quantity: '0.00200', fee: '0.180000', liquidity: 'TAKER' },
      { orderId: 'buy-1', side: 'BUY', quantity: '0.01000', fee: '0.900000', liquidity: 'TAKER' },
    ]);
    expect(await fills('bob')).toMatchObject([
      { orderId: 'sell-2', side: 'SELL', fee: '0.090000', feeAsset: 'USDT', liquidity: 'MAKER' },
      { orderId: 'sell-1', side: 'SELL', fee: '0.450000', feeAsset: 'USDT', liquidity: 'MAKER' },
    ]);
  });

  it('pages through fills with the cursor it hands out', async () => {
    const first = await marketSide.queries.myTrades({ userId: 'alice' }, 'alice', { first: 1 });
    expect(first.hasNextPage).toBe(true);
    const next = await marketSide.queries.myTrades({ userId: 'alice' }, 'alice', {
      first: 1,
      after: first.items[0]?.cursor,
    });
    expect(next.items.map(({ node }) => node.quantity)).toEqual(['0.01000']);
    expect(next.hasNextPage).toBe(false);
    await expect(
      marketSide.queries.myTrades({ userId: 'bob' }, 'alice', { first: 1 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('publishes the trade and each order fill by fill, with its totals as of that fill', async () => {
    const events = await published([TRADE_EXECUTED, ORDER_PARTIALLY_FILLED, ORDER_FILLED]);
    expect(events.map(({ type, subject }) => [type, subject])).toEqual([
      [TRADE_EXECUTED, 'BTC-USDT'],
      [ORDER_FILLED, 'sell-1'],
      [ORDER_PARTIALLY_FILLED, 'buy-1'],
      [TRADE_EXECUTED, 'BTC-USDT'],
      [ORDER_PARTIALLY_FILLED, 'sell-2'],
      [ORDER_FILLED, 'buy-1'],
    ]);
    expect(events[0]?.data).toMatchObject({
      price: '90000.00',
      quantity: '0.01000',
      takerSide: 'BUY',
      maker: { orderId: 'sell-1', userId: 'bob', fee: '0.450000' },
      taker: { orderId: 'buy-1', userId: 'alice', fee: '0.900000' },
      feeAsset: 'USDT',
    });
    expect(events[2]?.data).toMatchObject({
      filledQuantity: '0.01000',
      remainingQuantity: '0.00200',
      averagePrice: '90000.00',
    });
    expect(events[4]?.data).toMatchObject({
      filledQuantity: '0.00200',
      remainingQuantity: '0.00300',
    });
    expect(events[5]?.data).toMatchObject({
      filledQuantity: '0.01200',
      remainingQuantity: '0.00000',
    });
  });

  it("values each user's position at the last price: the buyer long, the seller short", async () => {
    lastPrice = '91000.00';
    expect(await marketSide.queries.portfolio({ userId: 'alice' }, 'alice')).toMatchObject({
      positions: [
        {
          symbol: 'BTC-USDT',
          currency: 'USDT',
          quantity: '0.01200',
          // 1,080 USDT and 1.08 in fees for 0.012 BTC.
          costBasis: '1081.080000',
          averageCost: '90090.000000',
          lastPrice: '91000.00',
          marketValue: '1092.000000',
          unrealisedPnl: '10.920000',
          realisedPnl: '0.000000',
        },
      ],
      totals: [{ currency: 'USDT', marketValue: '1092.000000', unrealisedPnl: '10.920000' }],
    });
    expect(await marketSide.queries.portfolio({ userId: 'bob' }, 'bob')).toMatchObject({
      positions: [{ quantity: '-0.01200', costBasis: '-1079.460000', unrealisedPnl: '-12.540000' }],
    });
  });

  it('sends the book to a subscriber at once, then each newer book as it changes', async () => {
    const feed = marketSide.queries.updates.books('BTC-USDT', 1);
    const first = (await feed.next()).value as OrderBookView;
    expect(first.asks).toEqual([{ price: '90000.00', quantity: '0.00300', orderCount: 1 }]);

    await desk.cancel('sell-2');
    await desk.cancel('buy-far');
    // Changes close together arrive as one book; a slow reader skips to the newest.
    const books: OrderBookView[] = [];
    while (books.at(-1)?.bids.length !== 0) books.push((await feed.next()).value as OrderBookView);
    await feed.return?.();

    expect(books.at(-1)).toMatchObject({
      asks: [{ price: '91000.00', quantity: '0.00100', orderCount: 1 }],
      bids: [],
      sequence: first.sequence + 2,
    });
    const sequences = [first, ...books].map(({ sequence }) => sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect((await published([ORDER_CANCELLED])).map(({ data }) => data)).toMatchObject([
      {
        orderId: 'sell-2',
        filledQuantity: '0.00200',
        remainingQuantity: '0.00300',
        reason: 'USER_REQUESTED',
      },
      { orderId: 'buy-far', filledQuantity: '0.00000', remainingQuantity: '0.00100' },
    ]);
  });

  it('publishes a stop-limit order under its own type and keeps it off the levels until triggered', async () => {
    const levelsBefore = await book();
    await desk.place({
      ...limit('stop-1', 'carol', 'sell', 100, 8_800_000),
      orderType: 'stop-limit',
      stopTicks: 8_900_000,
    });
    expect(await book()).toMatchObject({ asks: levelsBefore.asks, bids: levelsBefore.bids });
    await desk.cancel('stop-1');

    const stopEvents = (await published([ORDER_ACCEPTED, ORDER_CANCELLED])).filter(
      ({ subject }) => subject === 'stop-1',
    );
    expect(stopEvents.map(({ type, data }) => [type, data.type, data.price])).toEqual([
      [ORDER_ACCEPTED, 'STOP_LIMIT', '88000.00'],
      [ORDER_CANCELLED, 'STOP_LIMIT', '88000.00'],
    ]);
  });

  it('publishes an amendment with the new quantity and price, and what they were', async () => {
    await desk.place(limit('amend-1', 'carol', 'buy', 100, 8_000_000));
    changed.length = 0;
    await desk.amend({ orderId: 'amend-1', lots: 250, ticks: 8_100_000 });

    // Subscribers are told, and read the amended order from the list.
    expect(changed).toEqual(['amend-1']);
    expect(await postgresOrderList(database, 'crypto').byId('amend-1')).toMatchObject({
      quantity: '0.00250',
      price: '81000.00',
    });

    const [amended, ...more] = await published([ORDER_AMENDED]);
    expect(more).toEqual([]);
    expect(amended).toMatchObject({
      source: CRYPTO_SOURCE,
      subject: 'amend-1',
      data: {
        orderId: 'amend-1',
        clientOrderId: 'client-amend-1',
        userId: 'carol',
        side: 'BUY',
        type: 'LIMIT',
        quantity: '0.00250',
        price: '81000.00',
        previousQuantity: '0.00100',
        previousPrice: '80000.00',
        filledQuantity: '0.00000',
        remainingQuantity: '0.00250',
      },
    });
    // A fill after the amendment counts against the new quantity.
    await desk.place(limit('amend-taker', 'dave', 'sell', 100, 8_100_000));
    expect(
      (await published([ORDER_PARTIALLY_FILLED])).find(({ subject }) => subject === 'amend-1')
        ?.data,
    ).toMatchObject({ filledQuantity: '0.00100', remainingQuantity: '0.00150' });
    await desk.cancel('amend-1');
  });

  it('publishes the trigger of a stop order when a trade reaches its stop price', async () => {
    await desk.place({
      ...limit('stop-2', 'carol', 'sell', 100, 7_900_000),
      orderType: 'stop-limit',
      stopTicks: 8_000_000,
    });
    expect(await published([ORDER_TRIGGERED])).toEqual([]);
    await desk.place(limit('stop-bid', 'dave', 'buy', 100, 7_950_000));
    await desk.place(limit('stop-hit', 'erin', 'sell', 100, 7_950_000));

    const [triggered, ...more] = await published([ORDER_TRIGGERED]);
    expect(more).toEqual([]);
    expect(triggered).toMatchObject({
      source: CRYPTO_SOURCE,
      subject: 'stop-2',
      data: {
        orderId: 'stop-2',
        userId: 'carol',
        side: 'SELL',
        type: 'STOP_LIMIT',
        quantity: '0.00100',
        price: '79000.00',
        stopPrice: '80000.00',
        lastTradePrice: '79500.00',
      },
    });
    await desk.cancel('stop-2');
  });

  it('refuses a depth outside 1-100', async () => {
    await expect(book(0)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(book(101)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
