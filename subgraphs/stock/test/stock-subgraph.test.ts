import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import {
  migrate,
  openPgliteDatabase,
  PostgresMessageBus,
  type SqlDatabase,
} from '@simple-securities/postgres';
import { describeOnEachEngine } from '@simple-securities/postgres/testing';
import { loadConfig, migrationsOf, type RunningService } from '@simple-securities/service-kit';
import {
  eventually,
  graphqlWsClient,
  postGraphQL,
} from '@simple-securities/market-data-adapters/testing';
import { startStockService, stockSubgraph } from '../src/composition-root.js';
import { stockConfig } from '../src/config.js';

const stockMigrationsDirs = migrationsOf([stockSubgraph]);

const logger = pino({ level: 'silent' });

const SATURDAY_NOON_NEW_YORK = Date.parse('2026-01-17T17:00:00Z');
const WEDNESDAY_11AM_NEW_YORK = Date.parse('2026-01-14T16:00:00Z');

/** A clock the test moves; it keeps running from wherever it was set. */
const movableClock = (start: number) => {
  let offset = start - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    set: (at: number) => {
      offset = at - Date.now();
    },
  };
};

const start = (
  database: SqlDatabase,
  env: Record<string, string>,
  clock = movableClock(Date.now()),
) =>
  startStockService({
    database,
    bus: new PostgresMessageBus(database, { logger }),
    logger,
    clock,
    server: { port: 0, host: '127.0.0.1', internalToken: 'stock-test-internal-token' },
    config: loadConfig(stockConfig, {
      PRICE_TICK_RATE: '20',
      PRICE_FEED_SEED: '3',
      ...env,
    }),
  });

await describeOnEachEngine('stock subgraph', (engine) => {
  let database: SqlDatabase;
  let service: RunningService;
  const clock = movableClock(SATURDAY_NOON_NEW_YORK);
  const graphql = <Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ) => postGraphQL<Data>(service.url, query, variables);

  beforeAll(async () => {
    database = await engine.open();
    await migrate({ database, directories: stockMigrationsDirs, logger });
    service = await start(database, {}, clock);
  });

  afterAll(async () => {
    await service?.stop();
    await database?.close();
  });

  it('lists stocks with their exchange, trading rules and session hours', async () => {
    const { data, errors } = await graphql<{
      stocks: { symbol: string }[];
      stock: Record<string, unknown>;
    }>(`
      {
        stocks {
          symbol
        }
        stock(symbol: "aapl") {
          symbol
          exchange
          quoteCurrency
          tickSize
          lotSize
          status
          marketStatus {
            state
            nextOpen
            nextClose
            timeZone
            sessionOpen
            sessionClose
          }
        }
      }
    `);
    expect(errors).toBeUndefined();
    expect(data?.stocks.map((s) => s.symbol)).toEqual(
      expect.arrayContaining(['AAPL', 'MSFT', 'NVDA']),
    );
    expect(data?.stock).toEqual({
      symbol: 'AAPL',
      exchange: 'NASDAQ',
      quoteCurrency: 'USD',
      tickSize: '0.01',
      lotSize: '1',
      status: 'TRADING',
      marketStatus: {
        state: 'CLOSED',
        // Monday 19 January 2026 is Martin Luther King Jr. Day: the next session is Tuesday.
        nextOpen: '2026-01-20T14:30:00.000Z',
        nextClose: '2026-01-20T21:00:00.000Z',
        timeZone: 'America/New_York',
        sessionOpen: '09:30',
        sessionClose: '16:00',
      },
    });
  });

  it('prices nothing while the market is closed and starts when it opens', async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const closed = await graphql<{ stockTicker: unknown }>(
      '{ stockTicker(symbol: "AAPL") { lastPrice } }',
    );
    expect(closed.data?.stockTicker).toBeNull();

    clock.set(WEDNESDAY_11AM_NEW_YORK);
    const ticker = await eventually(async () => {
      const { data } = await graphql<{ stockTicker: { lastPrice: string; time: string } | null }>(
        '{ stockTicker(symbol: "AAPL") { lastPrice time } }',
      );
      return data?.stockTicker ?? undefined;
    });
    expect(ticker.lastPrice).toMatch(/^\d+\.\d{2}$/);
    expect(Date.parse(ticker.time)).toBeGreaterThanOrEqual(WEDNESDAY_11AM_NEW_YORK);
    const { data } = await graphql<{ stock: { marketStatus: { state: string } } }>(
      '{ stock(symbol: "AAPL") { marketStatus { state nextClose } } }',
    );
    expect(data?.stock.marketStatus).toEqual({
      state: 'OPEN',
      nextClose: '2026-01-14T21:00:00.000Z',
    });
  });

  it('aggregates candles from the simulated trades', async () => {
    const klines = await eventually(async () => {
      const { data } = await graphql<{ stockKlines: Record<string, string>[] }>(
        '{ stockKlines(symbol: "MSFT", interval: "1m", limit: 5) { open high low close volume trades } }',
      );
      return data?.stockKlines.length ? data.stockKlines : undefined;
    });
    for (const kline of klines) {
      const [open, high, low, close] = [kline.open, kline.high, kline.low, kline.close].map(Number);
      expect(high).toBeGreaterThanOrEqual(Math.max(open!, close!));
      expect(low).toBeLessThanOrEqual(Math.min(open!, close!));
    }
  });

  it('streams stockPriceTicks over graphql-ws while the market is open', async () => {
    const client = graphqlWsClient(service.url);
    try {
      const received: string[] = [];
      for await (const result of client.iterate<{
        stockPriceTicks: { symbol: string; price: string };
      }>({
        query:
          'subscription { stockPriceTicks(symbols: ["NVDA", "TSLA"]) { symbol price time priceChangePercent24h } }',
      })) {
        received.push(result.data!.stockPriceTicks.symbol);
        if (received.length >= 6) break;
      }
      expect(new Set(received)).toEqual(new Set(['NVDA', 'TSLA']));
    } finally {
      await client.dispose();
    }
  });

  it.each([
    ['an unknown symbol', '{ stockKlines(symbol: "BTC-USDT", interval: "1m") { open } }'],
    ['a bad interval', '{ stockKlines(symbol: "AAPL", interval: "1w") { open } }'],
    ['a limit over 1000', '{ stockKlines(symbol: "AAPL", interval: "1d", limit: 5000) { open } }'],
    ['an unknown stock', '{ stock(symbol: "ZZZZ") { symbol } }'],
  ])('rejects %s with BAD_USER_INPUT', async (_case, query) => {
    const { errors } = await graphql(query);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('stock subgraph with STOCK_MARKET_ALWAYS_OPEN', () => {
  it('opens the market on a Saturday for demos and tests', async () => {
    const database = await openPgliteDatabase();
    await migrate({ database, directories: stockMigrationsDirs, logger });
    const service = await start(
      database,
      { STOCK_MARKET_ALWAYS_OPEN: 'true' },
      movableClock(SATURDAY_NOON_NEW_YORK),
    );
    try {
      const { data } = await postGraphQL<{ stock: { marketStatus: Record<string, unknown> } }>(
        service.url,
        '{ stock(symbol: "JPM") { marketStatus { state nextOpen nextClose } } }',
      );
      expect(data?.stock.marketStatus).toEqual({ state: 'OPEN', nextOpen: null, nextClose: null });
      await eventually(async () => {
        const { data: ticker } = await postGraphQL<{ stockTicker: unknown }>(
          service.url,
          '{ stockTicker(symbol: "JPM") { lastPrice } }',
        );
        return ticker?.stockTicker ?? undefined;
      });
    } finally {
      await service.stop();
      await database.close();
    }
  });
});
