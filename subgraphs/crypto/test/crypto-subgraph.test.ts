import { afterAll, beforeAll, expect, it } from '@jest/globals';
import pino from 'pino';
import { migrate, PostgresMessageBus, type SqlDatabase } from '@simple-securities/postgres';
import { describeOnEachEngine } from '@simple-securities/postgres/testing';
import { loadConfig, migrationsOf, type RunningService } from '@simple-securities/service-kit';
import { systemClock } from '@simple-securities/shared-kernel';
import {
  eventually,
  graphqlWsClient,
  ManualPriceFeed,
  postGraphQL,
} from '@simple-securities/market-data-adapters/testing';
import { cryptoSubgraph, startCryptoService } from '../src/composition-root.js';
import { cryptoConfig } from '../src/config.js';

const logger = pino({ level: 'silent' });
const internalToken = 'crypto-test-internal-token';

interface KlineJson {
  openTime: string;
  closeTime: string;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  quoteVolume: string;
  trades: number;
}

await describeOnEachEngine('crypto subgraph', (engine) => {
  let database: SqlDatabase;
  let service: RunningService;
  const feed = new ManualPriceFeed();
  const graphql = <Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    userId?: string,
  ) =>
    postGraphQL<Data>(
      service.url,
      query,
      variables,
      userId ? { userId, internalToken, service: 'crypto' } : undefined,
    );

  // Ticks in the minute 2026-01-14 15:00 UTC plus one in the next minute.
  const ticks = [
    { price: '91000.00', quantity: '0.5', time: '2026-01-14T15:00:01.000Z' },
    { price: '91250.50', quantity: '0.25', time: '2026-01-14T15:00:15.000Z' },
    { price: '90900.10', quantity: '1.2', time: '2026-01-14T15:00:30.000Z' },
    { price: '91100.00', quantity: '0.05', time: '2026-01-14T15:00:59.000Z' },
    { price: '91120.00', quantity: '2', time: '2026-01-14T15:01:00.000Z' },
  ];

  beforeAll(async () => {
    database = await engine.open();
    await migrate({
      database,
      directories: migrationsOf([cryptoSubgraph]),
      logger,
    });
    service = await startCryptoService({
      database,
      bus: new PostgresMessageBus(database, { logger }),
      logger,
      clock: systemClock,
      config: loadConfig(cryptoConfig, {}),
      server: { port: 0, host: '127.0.0.1', internalToken },
      feed,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await database?.close();
  });

  it('lists crypto pairs with their trading rules as decimal strings', async () => {
    const { data, errors } = await graphql<{
      cryptoPairs: Record<string, unknown>[];
      cryptoPair: Record<string, unknown>;
    }>(`
      {
        cryptoPairs {
          symbol
        }
        cryptoPair(symbol: "btc-usdt") {
          symbol
          baseAsset
          quoteCurrency
          tickSize
          lotSize
          minNotional
          status
        }
        serverTime
      }
    `);
    expect(errors).toBeUndefined();
    expect(data?.cryptoPairs.map((p) => p.symbol)).toEqual(
      expect.arrayContaining(['BTC-USDT', 'ETH-USDT', 'SOL-USDT']),
    );
    expect(data?.cryptoPair).toEqual({
      symbol: 'BTC-USDT',
      baseAsset: 'BTC',
      quoteCurrency: 'USDT',
      tickSize: '0.01',
      lotSize: '0.00001',
      minNotional: '5',
      status: 'TRADING',
    });
  });

  it('turns the ticks it was fed into candles with the right OHLCV, through the bus', async () => {
    feed.emit(...ticks.map((t) => ({ symbol: 'BTC-USDT', ...t, time: new Date(t.time) })));
    const query = `query ($from: DateTime) {
      klines(symbol: "BTC-USDT", interval: "1m", from: $from) { openTime closeTime open high low close volume quoteVolume trades }
      hour: klines(symbol: "BTC-USDT", period: ONE_HOUR, limit: 1) { open high low close volume trades }
    }`;
    const data = await eventually(async () => {
      const response = await graphql<{ klines: KlineJson[]; hour: KlineJson[] }>(query, {
        from: '2026-01-14T00:00:00Z',
      });
      expect(response.errors).toBeUndefined();
      return response.data?.hour[0]?.trades === 5 ? response.data : undefined;
    });
    expect(data.klines).toEqual([
      {
        openTime: '2026-01-14T15:00:00.000Z',
        closeTime: '2026-01-14T15:00:59.999Z',
        open: '91000.00',
        high: '91250.50',
        low: '90900.10',
        close: '91100.00',
        volume: '2',
        // 45500 + 22812.625 + 109080.12 + 4555
        quoteVolume: '181947.745',
        trades: 4,
      },
      {
        openTime: '2026-01-14T15:01:00.000Z',
        closeTime: '2026-01-14T15:01:59.999Z',
        open: '91120.00',
        high: '91120.00',
        low: '91120.00',
        close: '91120.00',
        volume: '2',
        quoteVolume: '182240',
        trades: 1,
      },
    ]);
    expect(data.hour).toEqual([
      {
        open: '91000.00',
        high: '91250.50',
        low: '90900.10',
        close: '91120.00',
        volume: '4',
        trades: 5,
      },
    ]);
  });

  it('keeps the latest price and 24-hour statistics per pair', async () => {
    const { data } = await graphql<{
      ticker: Record<string, unknown>;
      cryptoPair: { ticker: { lastPrice: string } };
    }>(`
      {
        ticker(symbol: "BTC-USDT") {
          symbol
          lastPrice
          openPrice
          highPrice
          lowPrice
          volume
          priceChange
          priceChangePercent
          trades
          time
        }
        cryptoPair(symbol: "BTC-USDT") {
          ticker {
            lastPrice
          }
        }
      }
    `);
    expect(data?.ticker).toEqual({
      symbol: 'BTC-USDT',
      lastPrice: '91120.00',
      openPrice: '91000.00',
      highPrice: '91250.50',
      lowPrice: '90900.10',
      volume: '4',
      priceChange: '120',
      priceChangePercent: '0.13',
      trades: 5,
      time: '2026-01-14T15:01:00.000Z',
    });
    expect(data?.cryptoPair.ticker.lastPrice).toBe('91120.00');
  });

  it('answers a pair that never traded with a null ticker and no candles', async () => {
    const { data, errors } = await graphql(`
      {
        ticker(symbol: "ADA-USDT") {
          lastPrice
        }
        klines(symbol: "ADA-USDT", interval: "1d") {
          open
        }
      }
    `);
    expect(errors).toBeUndefined();
    expect(data).toEqual({ ticker: null, klines: [] });
  });

  it('takes the candle length as the period enum, or as the deprecated interval string', async () => {
    feed.emit({
      symbol: 'SOL-USDT',
      price: '150.00',
      quantity: '1',
      time: new Date('2026-01-14T15:00:01Z'),
    });
    const query = `{
      byPeriod: klines(symbol: "SOL-USDT", period: FIFTEEN_MINUTES) { period interval open }
      byInterval: klines(symbol: "SOL-USDT", interval: "15m") { period interval open }
      both: klines(symbol: "SOL-USDT", period: FIFTEEN_MINUTES, interval: "15m") { period }
    }`;
    const data = await eventually(async () => {
      const response = await graphql<Record<string, { period: string }[]>>(query);
      expect(response.errors).toBeUndefined();
      return response.data?.byPeriod?.length ? response.data : undefined;
    });
    expect(data).toEqual({
      byPeriod: [{ period: 'FIFTEEN_MINUTES', interval: '15m', open: '150.00' }],
      byInterval: [{ period: 'FIFTEEN_MINUTES', interval: '15m', open: '150.00' }],
      both: [{ period: 'FIFTEEN_MINUTES' }],
    });
  });

  it.each([
    ['an unknown symbol', '{ klines(symbol: "NOPE-USDT", interval: "1m") { open } }', {}],
    ['a bad interval', '{ klines(symbol: "BTC-USDT", interval: "2m") { open } }', {}],
    ['neither period nor interval', '{ klines(symbol: "BTC-USDT") { open } }', {}],
    [
      'a period and a different interval',
      '{ klines(symbol: "BTC-USDT", period: ONE_MINUTE, interval: "5m") { open } }',
      {},
    ],
    [
      'a limit over 1000',
      '{ klines(symbol: "BTC-USDT", interval: "1m", limit: 1001) { open } }',
      {},
    ],
    ['a limit under 1', '{ klines(symbol: "BTC-USDT", interval: "1m", limit: 0) { open } }', {}],
    [
      'from after to',
      '{ klines(symbol: "BTC-USDT", interval: "1m", from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z") { open } }',
      {},
    ],
    ['an unknown pair', '{ cryptoPair(symbol: "AAPL") { symbol } }', {}],
    ['an unknown ticker', '{ ticker(symbol: "XYZ") { lastPrice } }', {}],
    [
      'a malformed DateTime',
      'query ($from: DateTime) { klines(symbol: "BTC-USDT", interval: "1m", from: $from) { open } }',
      { from: 'yesterday' },
    ],
  ])('rejects %s with BAD_USER_INPUT', async (_case, query, variables: Record<string, unknown>) => {
    const { errors } = await graphql(query, variables);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).not.toMatch(/at .*\.ts/);
  });

  it("lists a user's crypto orders only to that user (empty until trading fills it)", async () => {
    const query = `query ($id: ID!) { _entities(representations: [{ __typename: "User", id: $id }]) {
      ... on User { cryptoOrders(first: 5) { edges { cursor } pageInfo { hasNextPage endCursor } } } } }`;
    const own = await graphql(query, { id: 'alice' }, 'alice');
    expect(own.errors).toBeUndefined();
    expect(own.data).toEqual({
      _entities: [
        { cryptoOrders: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } },
      ],
    });
    const other = await graphql(query, { id: 'alice' }, 'mallory');
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await graphql(query, { id: 'alice' });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it("pages a user's orders newest first from the orders read model", async () => {
    await database.query(
      `INSERT INTO crypto.orders
         (id, user_id, client_order_id, symbol, side, type, status, quantity, price, created_at)
       VALUES ('o1', 'bob', 'c1', 'BTC-USDT', 'BUY', 'LIMIT', 'NEW', 0.5, 90000.00, '2026-01-14T15:00:00Z'),
              ('o2', 'bob', 'c2', 'ETH-USDT', 'SELL', 'MARKET', 'FILLED', 2, NULL, '2026-01-14T15:01:00Z'),
              ('o3', 'bob', 'c3', 'BTC-USDT', 'BUY', 'LIMIT', 'CANCELED', 0.1, 89000.50, '2026-01-14T15:02:00Z'),
              ('o4', 'carol', 'c1', 'BTC-USDT', 'BUY', 'MARKET', 'NEW', 1, NULL, '2026-01-14T15:03:00Z')`,
    );
    const query = `query ($after: String) { _entities(representations: [{ __typename: "User", id: "bob" }]) {
      ... on User { cryptoOrders(first: 2, after: $after) {
        edges { cursor node { id clientOrderId symbol side type status quantity price createdAt } }
        pageInfo { hasNextPage endCursor } } } } }`;
    type Page = {
      _entities: {
        cryptoOrders: {
          edges: { node: Record<string, unknown> }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }[];
    };
    const first = await graphql<Page>(query, {}, 'bob');
    expect(first.errors).toBeUndefined();
    const firstPage = first.data!._entities[0]!.cryptoOrders;
    expect(firstPage.edges.map((edge) => edge.node)).toEqual([
      {
        id: 'o3',
        clientOrderId: 'c3',
        symbol: 'BTC-USDT',
        side: 'BUY',
        type: 'LIMIT',
        status: 'CANCELED',
        quantity: '0.1',
        price: '89000.50',
        createdAt: '2026-01-14T15:02:00.000Z',
      },
      {
        id: 'o2',
        clientOrderId: 'c2',
        symbol: 'ETH-USDT',
        side: 'SELL',
        type: 'MARKET',
        status: 'FILLED',
        quantity: '2',
        price: null,
        createdAt: '2026-01-14T15:01:00.000Z',
      },
    ]);
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const second = await graphql<Page>(query, { after: firstPage.pageInfo.endCursor }, 'bob');
    const secondPage = second.data!._entities[0]!.cryptoOrders;
    expect(secondPage.edges.map((edge) => edge.node.id)).toEqual(['o1']);
    expect(secondPage.pageInfo.hasNextPage).toBe(false);
    const forged = await graphql(query, { after: 'not-a-cursor' }, 'bob');
    expect(forged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('streams priceTicks over graphql-ws, fed from the bus', async () => {
    const client = graphqlWsClient(service.url);
    try {
      const subscription = client.iterate<{ priceTicks: Record<string, string> }>({
        query:
          'subscription { priceTicks(symbols: ["ETH-USDT", "sol-usdt"]) { symbol price quantity time priceChange24h priceChangePercent24h } }',
      });
      // The subscription is live once the server has acknowledged it; keep feeding until a tick arrives.
      const received: Record<string, string>[] = [];
      const feeding = setInterval(() => {
        feed.emit(
          { symbol: 'ETH-USDT', price: '3100.00', quantity: '1', time: new Date() },
          { symbol: 'BTC-USDT', price: '91000.00', quantity: '1', time: new Date() },
          { symbol: 'SOL-USDT', price: '140.00', quantity: '3', time: new Date() },
        );
      }, 100);
      try {
        for await (const result of subscription) {
          expect(result.errors).toBeUndefined();
          received.push(result.data!.priceTicks);
          if (received.length >= 4) break;
        }
      } finally {
        clearInterval(feeding);
      }
      expect(new Set(received.map((tick) => tick.symbol))).toEqual(
        new Set(['ETH-USDT', 'SOL-USDT']),
      );
      expect(received.find((tick) => tick.symbol === 'ETH-USDT')).toMatchObject({
        price: '3100.00',
        quantity: '1',
      });
    } finally {
      await client.dispose();
    }
  });

  it('streams klineUpdates for one symbol and interval', async () => {
    const client = graphqlWsClient(service.url);
    try {
      const subscription = client.iterate<{ klineUpdates: Record<string, unknown> }>({
        query:
          'subscription { klineUpdates(symbol: "XRP-USDT", interval: "5m") { symbol interval close trades } }',
      });
      const feeding = setInterval(() => {
        feed.emit({ symbol: 'XRP-USDT', price: '2.1500', quantity: '10', time: new Date() });
      }, 100);
      try {
        const first = await subscription.next();
        expect(first.value?.data?.klineUpdates).toMatchObject({
          symbol: 'XRP-USDT',
          interval: '5m',
          close: '2.1500',
        });
      } finally {
        clearInterval(feeding);
        await subscription.return?.();
      }
    } finally {
      await client.dispose();
    }
  });

  it('refuses subscriptions to unknown symbols or intervals with BAD_USER_INPUT', async () => {
    const client = graphqlWsClient(service.url);
    try {
      for (const query of [
        'subscription { priceTicks(symbols: ["BTC-USDT", "NOPE"]) { symbol } }',
        'subscription { priceTicks(symbols: []) { symbol } }',
        'subscription { klineUpdates(symbol: "BTC-USDT", interval: "7m") { close } }',
      ]) {
        const { value } = await client.iterate({ query }).next();
        expect(value?.errors).toEqual([
          expect.objectContaining({
            extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
          }),
        ]);
      }
    } finally {
      await client.dispose();
    }
  });
});
