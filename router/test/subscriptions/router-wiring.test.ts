import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { pino } from 'pino';
import { issueAccessToken } from '@simple-securities/service-kit';
import { startRouter, type RunningRouter } from '../../src/index.js';
import {
  composeSupergraph,
  startInstrumentsSubgraph,
  startPricesSubgraph,
} from './test-subgraphs.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const jwtSecret = 'test-secret-that-is-at-least-32-characters-long';
const internalToken = 'test-internal-token';

describe('subscriptions on the router endpoint', () => {
  let prices: Awaited<ReturnType<typeof startPricesSubgraph>>;
  let instruments: Awaited<ReturnType<typeof startInstrumentsSubgraph>>;
  let router: RunningRouter;
  let client: Client;

  beforeAll(async () => {
    prices = await startPricesSubgraph({ logger, internalToken });
    instruments = await startInstrumentsSubgraph({ logger, internalToken });
    router = await startRouter({
      supergraphSdl: composeSupergraph({ prices: prices.url, instruments: instruments.url }),
      logger,
      jwtSecret,
      internalToken,
      port: 0,
      subscriptions: { publicSubscriptionFields: ['ticks'] },
    });
    const { token } = await issueAccessToken(
      { userId: 'carol', roles: [], permissions: [] },
      { secret: jwtSecret, ttlSeconds: 600 },
    );
    client = createClient({
      url: router.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
    });
  });

  afterAll(async () => {
    await client.dispose();
    await router.stop();
    await prices.stop();
    await instruments.stop();
  });

  it('serves subscriptions and queries over graphql-ws on the same /graphql URL as HTTP', async () => {
    const events = [];
    for await (const result of client.iterate({
      query:
        'subscription { myTicks(symbols: ["Z"], intervalMs: 5) { symbol subscriber instrument { name } } }',
    })) {
      events.push(result);
      if (events.length === 2) break;
    }
    expect(events).toEqual([
      { data: { myTicks: { symbol: 'Z', subscriber: 'carol', instrument: { name: 'Z Corp' } } } },
      { data: { myTicks: { symbol: 'Z', subscriber: 'carol', instrument: { name: 'Z Corp' } } } },
    ]);

    const [answer] = await (async () => {
      const results = [];
      for await (const result of client.iterate({
        query: '{ instrument(symbol: "Q") { name } }',
      })) {
        results.push(result);
      }
      return results;
    })();
    expect(answer).toEqual({ data: { instrument: { name: 'Q Corp' } } });
    expect(router.subscriptions.stats().connections).toBe(1);
  });
});
