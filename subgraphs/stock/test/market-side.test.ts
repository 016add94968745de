import { afterAll, beforeAll, expect, it } from '@jest/globals';
import pino from 'pino';
import { STOCK_SOURCE } from '@simple-securities/contracts';
import { migrate, type SqlDatabase } from '@simple-securities/postgres';
import { describeOnEachEngine } from '@simple-securities/postgres/testing';
import { migrationsOf } from '@simple-securities/service-kit';
import {
  defineInstrument,
  exactDecimal,
  MatchingEngine,
  type SpotBookEvent,
} from '@simple-securities/trading';
import { type RunningMarketSide, startMarketSide } from '@simple-securities/trading-adapters';
import { stockSubgraph } from '../src/composition-root.js';

const logger = pino({ level: 'silent' });
const aapl = defineInstrument({
  symbol: 'AAPL',
  baseAsset: 'AAPL',
  baseScale: 0,
  quoteAsset: 'USD',
  quoteScale: 2,
  tickSize: '0.01',
  lotSize: '1',
  minNotional: '1',
});
const fees = { maker: exactDecimal('0.0005'), taker: exactDecimal('0.001') };

/**
 * Stock's books are journaled the way crypto's are (the same events, the same
 * projection), so this feeds the stock schema's projection a book's batches directly.
 */
await describeOnEachEngine("stock's read side of a book", (engine) => {
  let database: SqlDatabase;
  let marketSide: RunningMarketSide;
  const book = MatchingEngine.start();
  let version = 0;

  /** Places a GTC limit order of `shares` at `cents` and projects what the book recorded. */
  const place = async (
    orderId: string,
    userId: string,
    side: 'buy' | 'sell',
    shares: number,
    cents: number,
  ) => {
    const events: SpotBookEvent[] = [
      {
        type: 'SpotOrderPlaced',
        orderId,
        userId,
        clientOrderId: orderId,
        symbol: 'AAPL',
        side,
        orderType: 'limit',
        timeInForce: 'GTC',
        quantity: shares,
        price: cents,
        reservedAsset: side === 'buy' ? 'USD' : 'AAPL',
        reservedUnits: '0',
        placedAt: '2026-12-02T15:00:00.000Z',
      },
      ...book.execute({
        type: 'PlaceOrder',
        orderId,
        accountId: userId,
        side,
        orderType: 'limit',
        quantity: shares,
        price: cents,
        timeInForce: 'GTC',
      }),
    ];
    const projection = marketSide.projection({ fees, source: STOCK_SOURCE });
    const batch = {
      instrument: aapl,
      events,
      firstVersion: version + 1,
      recordedAt: new Date('2026-12-02T15:00:00.000Z'),
    };
    await database.transaction((tx) => projection.project(tx, batch));
    version += events.length;
  };

  beforeAll(async () => {
    database = await engine.open();
    await migrate({ database, directories: migrationsOf([stockSubgraph]), logger });
    marketSide = startMarketSide({
      database,
      logger,
      schema: 'stock',
      listedSymbol: (symbol) => symbol.toUpperCase(),
      lastPrices: { lastPrice: async () => ({ price: '190.00', time: new Date() }) },
    });
  });
  afterAll(async () => {
    await marketSide?.stop();
    await database?.close();
  });

  it('shows the resting orders, the trade, both fills and the positions in the stock schema', async () => {
    await place('sell-1', 'bob', 'sell', 10, 18_000);
    await place('buy-1', 'alice', 'buy', 4, 18_100);

    expect(await marketSide.queries.orderBook('aapl', 5)).toMatchObject({
      symbol: 'AAPL',
      asks: [{ price: '180.00', quantity: '6', orderCount: 1 }],
      bids: [],
      sequence: version,
    });
    expect(await marketSide.queries.recentTrades('AAPL', 5)).toMatchObject([
      { id: `AAPL:${version}`, price: '180.00', quantity: '4', takerSide: 'BUY' },
    ]);
    const [fill] = (await marketSide.queries.myTrades({ userId: 'alice' }, 'alice', { first: 5 }))
      .items;
    // 720 USD: the taker pays 0.72, rounded up to the cent.
    expect(fill?.node).toMatchObject({ fee: '0.72', feeAsset: 'USD', liquidity: 'TAKER' });
    expect(await marketSide.queries.portfolio({ userId: 'alice' }, 'alice')).toMatchObject({
      positions: [
        {
          symbol: 'AAPL',
          currency: 'USD',
          quantity: '4',
          costBasis: '720.72',
          averageCost: '180.18',
          marketValue: '760.00',
          unrealisedPnl: '39.28',
        },
      ],
    });
  });
});
