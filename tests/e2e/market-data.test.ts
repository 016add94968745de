import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestStack, type TestStack } from '../support/running-stack.js';

interface Tick {
  symbol: string;
  price: string;
  time: string;
  pair: { name: string; base: { name: string; kind: string }; quote: { code: string } };
}

const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

/** Collects `count` events of one subscription, failing on an error or after `timeoutMs`. */
const collect = <T>(
  client: Client,
  query: string,
  count: number,
  timeoutMs = 20_000,
): Promise<T[]> =>
  new Promise((resolve, reject) => {
    const events: T[] = [];
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`received ${events.length} of ${count} events in ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = client.subscribe<T>(
      { query },
      {
        next: (result) => {
          if (result.errors) {
            clearTimeout(timer);
            unsubscribe();
            reject(Object.assign(new Error(result.errors[0]?.message), { errors: result.errors }));
            return;
          }
          if (result.data) events.push(result.data);
          if (events.length === count) {
            clearTimeout(timer);
            unsubscribe();
            resolve(events);
          }
        },
        error: (error) => {
          clearTimeout(timer);
          // A refused connection arrives as its close event (code and reason).
          reject(error);
        },
        complete: () => undefined,
      },
    );
  });

describe('market data through the router', () => {
  let stack: TestStack;
  const clients: Client[] = [];
  const connect = (connectionParams: Record<string, unknown> = {}) => {
    const client = createClient({
      url: wsUrl(stack.router.url),
      webSocketImpl: WebSocket,
      connectionParams,
      retryAttempts: 0,
      lazy: true,
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await stack?.close();
  });

  it('streams live prices with fields from crypto and core in one subscription', async () => {
    const ticks = await collect<{ priceTicks: Tick }>(
      connect(),
      `subscription {
        priceTicks(symbols: ["BTC-USDT", "ETH-USDT"]) {
          symbol price time
          pair { name base { name kind } quote { code } }
        }
      }`,
      4,
    );
    for (const { priceTicks: tick } of ticks) {
      expect(['BTC-USDT', 'ETH-USDT']).toContain(tick.symbol);
      expect(tick.price).toMatch(/^\d+(\.\d+)?$/);
      expect(tick.pair.quote.code).toBe('USDT');
      expect(tick.pair.base).toEqual(
        tick.symbol === 'BTC-USDT'
          ? { name: 'Bitcoin', kind: 'CRYPTO' }
          : { name: 'Ether', kind: 'CRYPTO' },
      );
    }
  });

  it('lets a signed-in user subscribe with their token in connectionParams', async () => {
    const token = await stack.signIn('bob@example.com', 'bob-password-1');
    const [event] = await collect<{ priceTicks: { symbol: string } }>(
      connect({ authorization: `Bearer ${token}` }),
      'subscription { priceTicks(symbols: ["SOL-USDT"]) { symbol } }',
      1,
    );
    expect(event?.priceTicks.symbol).toBe('SOL-USDT');
  });

  it('refuses a connection whose token is not valid, saying why', async () => {
    const failure = await collect(
      connect({ authorization: 'Bearer forged.token.value' }),
      'subscription { priceTicks(symbols: ["BTC-USDT"]) { symbol } }',
      1,
    ).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 4403 });
    expect(String((failure as { reason?: string }).reason)).toMatch(/not valid|sign in/i);
  });

  it('answers BAD_USER_INPUT for an unknown symbol in a subscription', async () => {
    const failure = await collect(
      connect(),
      'subscription { priceTicks(symbols: ["NOPE-USDT"]) { symbol } }',
      1,
    ).catch((error: unknown) => error as { errors?: { extensions?: { code?: string } }[] });
    expect(
      (failure as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code,
    ).toBe('BAD_USER_INPUT');
  });

  it('serves instruments with core’s assets, candles and tickers over HTTP', async () => {
    const { body } = await stack.graphql<{
      cryptoPair: { symbol: string; base: { code: string; decimals: number } };
      stock: { symbol: string; marketStatus: { state: string } };
    }>(
      `{ cryptoPair(symbol: "BTC-USDT") { symbol base { code decimals } }
         stock(symbol: "AAPL") { symbol marketStatus { state } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.cryptoPair).toEqual({
      symbol: 'BTC-USDT',
      base: { code: 'BTC', decimals: 8 },
    });
    expect(body.data?.stock.marketStatus.state).toBe('OPEN');
  });

  it.each([
    ['an unknown symbol', '{ ticker(symbol: "NOPE-USDT") { lastPrice } }'],
    ['a bad interval', '{ klines(symbol: "BTC-USDT", interval: "7m") { open } }'],
    ['a limit over 1000', '{ klines(symbol: "BTC-USDT", interval: "1m", limit: 1001) { open } }'],
  ])('answers BAD_USER_INPUT for %s', async (_what, query) => {
    const { body } = await stack.graphql(query);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
