import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { pino } from 'pino';
import { issueAccessToken, type Caller } from '@simple-securities/service-kit';
import {
  attachSubscriptions,
  type SubscriptionEndpoint,
  type SubscriptionOptions,
} from '../../src/subscriptions/index.js';
import {
  composeSupergraph,
  startInstrumentsSubgraph,
  startPricesSubgraph,
} from './test-subgraphs.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const jwtSecret = 'test-secret-that-is-at-least-32-characters-long';
const internalToken = 'test-internal-token';
const alice: Caller = { userId: 'alice', roles: ['trader'], permissions: [] };
const bob: Caller = { userId: 'bob', roles: ['trader'], permissions: [] };

const tokenFor = async (caller: Caller, issuedAt = new Date()) =>
  (await issueAccessToken(caller, { secret: jwtSecret, ttlSeconds: 600 }, issuedAt)).token;

interface Router {
  url: string;
  subscriptions: SubscriptionEndpoint;
  stop(): Promise<void>;
}

const startRouter = async (
  supergraphSdl: string,
  overrides: Partial<SubscriptionOptions> = {},
): Promise<Router> => {
  const httpServer = http.createServer((_req, res) => res.writeHead(404).end());
  const subscriptions = attachSubscriptions({
    httpServer,
    supergraphSdl,
    jwtSecret,
    internalToken,
    logger,
    publicSubscriptionFields: ['ticks'],
    ...overrides,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/graphql`,
    subscriptions,
    stop: async () => {
      await subscriptions.close();
      await new Promise((resolve) => httpServer.close(resolve));
    },
  };
};

const clients: Client[] = [];
const connect = (url: string, connectionParams?: Record<string, unknown>) => {
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    ...(connectionParams ? { connectionParams } : {}),
  });
  clients.push(client);
  return client;
};

/** The next `count` results of a subscription, then completes it. */
const take = async (client: Client, query: string, count: number) => {
  const results: FormattedExecutionResult<Record<string, unknown>, unknown>[] = [];
  for await (const result of client.iterate({ query })) {
    results.push(result);
    if (results.length === count) break;
  }
  return results;
};

const waitFor = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
};

/** The close event of a raw socket speaking graphql-transport-ws. */
const closeOf = (url: string, init?: Record<string, unknown>) =>
  new Promise<{ code: number; reason: string }>((resolve) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    if (init)
      socket.on('open', () =>
        socket.send(JSON.stringify({ type: 'connection_init', payload: init })),
      );
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });

const TICKS = `subscription {
  ticks(symbols: ["AAA", "BBB"], intervalMs: 5) { symbol seq price instrument { name exchange } }
}`;

describe('subscriptions through the router', () => {
  let prices: Awaited<ReturnType<typeof startPricesSubgraph>>;
  let instruments: Awaited<ReturnType<typeof startInstrumentsSubgraph>>;
  let supergraphSdl: string;
  let router: Router;

  beforeAll(async () => {
    prices = await startPricesSubgraph({ logger, internalToken });
    instruments = await startInstrumentsSubgraph({ logger, internalToken });
    supergraphSdl = composeSupergraph({ prices: prices.url, instruments: instruments.url });
    router = await startRouter(supergraphSdl);
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await router.stop();
    await prices.stop();
    await instruments.stop();
  });

  it('streams events with fields from both subgraphs, shaped as selected', async () => {
    const client = connect(router.url, { authorization: `Bearer ${await tokenFor(alice)}` });
    const fetchesBefore = instruments.probe.entityFetches;
    const results = await take(client, TICKS, 4);
    for (const result of results) {
      expect(result.errors).toBeUndefined();
      const tick = (result.data as { ticks: Record<string, unknown> }).ticks;
      expect(Object.keys(tick)).toEqual(['symbol', 'seq', 'price', 'instrument']);
      expect(tick.instrument).toEqual({ name: `${String(tick.symbol)} Corp`, exchange: 'TEST' });
    }
    expect(
      results.map((result) => (result.data as { ticks: { symbol: string } }).ticks.symbol),
    ).toEqual(['AAA', 'BBB', 'AAA', 'BBB']);
    expect(instruments.probe.entityFetches - fetchesBefore).toBeGreaterThanOrEqual(4);
  });

  it('refuses an invalid or expired token with 4403 and a reason, and idle sockets with 4408', async () => {
    expect(await closeOf(router.url, { authorization: 'Bearer not-a-jwt' })).toEqual({
      code: 4403,
      reason: 'The bearer token is not valid; sign in again.',
    });
    const expired = await tokenFor(alice, new Date(Date.now() - 3_600_000));
    expect(await closeOf(router.url, { authorization: `Bearer ${expired}` })).toEqual({
      code: 4403,
      reason: 'Your session has expired; sign in again.',
    });
    expect(await closeOf(router.url, { authorization: 'Basic abc' })).toMatchObject({ code: 4403 });
    const strict = await startRouter(supergraphSdl, {
      allowAnonymous: false,
      limits: { connectionInitWaitTimeoutMs: 100 },
    });
    try {
      expect(await closeOf(strict.url)).toEqual({
        code: 4408,
        reason: 'Connection initialisation timeout',
      });
      expect(await closeOf(strict.url, {})).toMatchObject({ code: 4403 });
    } finally {
      await strict.stop();
    }
  });

  it('forwards the caller to the streaming subgraph and to entity fetches', async () => {
    const client = connect(router.url, { authorization: `Bearer ${await tokenFor(alice)}` });
    const [result] = await take(
      client,
      'subscription { myTicks(symbols: ["AAA"], intervalMs: 5) { subscriber viewer } }',
      1,
    );
    expect(result).toEqual({ data: { myTicks: { subscriber: 'alice', viewer: 'alice' } } });

    const anonymous = connect(router.url);
    await expect(
      take(anonymous, 'subscription { myTicks(symbols: ["AAA"]) { seq } }', 1),
    ).resolves.toEqual([
      {
        errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })],
      },
    ]);
  });

  it('shares one upstream subscription between identical subscriptions, per caller for private ones', async () => {
    const startedBefore = prices.probe.started;
    const query = 'subscription { ticks(symbols: ["SHARED"], intervalMs: 5) { symbol seq } }';
    const first = connect(router.url);
    const second = connect(router.url, { authorization: `Bearer ${await tokenFor(bob)}` });
    const both = await Promise.all([take(first, query, 5), take(second, query, 5)]);
    expect(both[0]).toHaveLength(5);
    expect(both[1]).toHaveLength(5);
    expect(prices.probe.started - startedBefore).toBe(1);

    const privateQuery = 'subscription { myTicks(symbols: ["P"], intervalMs: 5) { subscriber } }';
    const aliceTwice = [await tokenFor(alice), await tokenFor(alice)].map((token) =>
      connect(router.url, { authorization: `Bearer ${token}` }),
    );
    const bobs = connect(router.url, { authorization: `Bearer ${await tokenFor(bob)}` });
    const startedBeforePrivate = prices.probe.started;
    const results = await Promise.all(
      [...aliceTwice, bobs].map((client) => take(client, privateQuery, 3)),
    );
    expect(
      results.map((r) => (r[0]?.data as { myTicks: { subscriber: string } }).myTicks.subscriber),
    ).toEqual(['alice', 'alice', 'bob']);
    expect(prices.probe.started - startedBeforePrivate).toBe(2);
  });

  it('lets a fast client receive every event while a stalled one on the same stream is conflated', async () => {
    const query =
      'subscription { ticks(symbols: ["FLOOD"], intervalMs: 1, paddingBytes: 16384) { symbol seq padding } }';
    const local = await startRouter(supergraphSdl, { limits: { slowConsumerGraceMs: 300 } });
    const stalled = new WebSocket(local.url, 'graphql-transport-ws');
    await new Promise((resolve) => stalled.once('open', resolve));
    stalled.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((resolve) => stalled.once('message', resolve));
    stalled.send(JSON.stringify({ id: 'slow', type: 'subscribe', payload: { query } }));
    // Stop reading: the router's writes to this socket back up.
    (stalled as unknown as { _socket: { pause(): void } })._socket.pause();

    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      stalled.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    try {
      const fast = connect(local.url);
      const seqs: number[] = [];
      for await (const result of fast.iterate({ query })) {
        seqs.push((result.data as { ticks: { seq: number } }).ticks.seq);
        if (local.subscriptions.stats().conflated > 0 && seqs.length >= 200) break;
      }
      const first = seqs[0] as number;
      expect(seqs).toEqual(seqs.map((_, i) => first + i));
      expect(local.subscriptions.stats().upstreamSubscriptions).toBe(1);

      // A socket that accepts nothing for the grace period is closed, with a reason.
      await waitFor(() => local.subscriptions.stats().slowConsumersClosed === 1);
      (stalled as unknown as { _socket: { resume(): void } })._socket.resume();
      expect(await closed).toEqual({ code: 1013, reason: expect.stringMatching(/^Slow consumer/) });
    } finally {
      stalled.terminate();
      await local.stop();
    }
  });

  it('pings every connection and drops one that stops answering, keeping the ones that do', async () => {
    const local = await startRouter(supergraphSdl, { limits: { keepAliveMs: 100 } });
    const open = async (answersPings: boolean) => {
      const socket = new WebSocket(local.url, 'graphql-transport-ws', { autoPong: answersPings });
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'connection_init' }));
      await new Promise((resolve) => socket.once('message', resolve));
      return socket;
    };
    const responsive = await open(true);
    const silent = await open(false);
    try {
      let pings = 0;
      responsive.on('ping', () => (pings += 1));
      const silentClosed = new Promise((resolve) => silent.once('close', resolve));
      await silentClosed;
      expect(pings).toBeGreaterThanOrEqual(1);
      expect(responsive.readyState).toBe(WebSocket.OPEN);
      await waitFor(() => local.subscriptions.stats().connections === 1);
    } finally {
      responsive.terminate();
      silent.terminate();
      await local.stop();
    }
  });

  it('re-subscribes when the streaming subgraph restarts', async () => {
    const restartable = await startPricesSubgraph({ logger, internalToken });
    const port = restartable.port;
    const sdl = composeSupergraph({ prices: restartable.url, instruments: instruments.url });
    const local = await startRouter(sdl, { limits: { upstreamRetryBaseDelayMs: 50 } });
    let current = restartable;
    try {
      const client = connect(local.url);
      const seqs: number[] = [];
      for await (const result of client.iterate({
        query: 'subscription { ticks(symbols: ["R"], intervalMs: 10) { seq instrument { name } } }',
      })) {
        expect(result.errors).toBeUndefined();
        seqs.push((result.data as { ticks: { seq: number } }).ticks.seq);
        if (seqs.length === 3) {
          await current.stop();
          current = await startPricesSubgraph({ logger, internalToken, port });
        }
        if (seqs.length > 3 && seqs.at(-1) === 2) break;
      }
      expect(seqs.slice(0, 3)).toEqual([1, 2, 3]);
      expect(current.probe.started).toBe(1);
    } finally {
      await local.stop();
      await current.stop();
    }
  });

  it('ends the subscription with SUBGRAPH_UNAVAILABLE when the subgraph does not come back', async () => {
    const doomed = await startPricesSubgraph({ logger, internalToken });
    const sdl = composeSupergraph({ prices: doomed.url, instruments: instruments.url });
    const local = await startRouter(sdl, {
      limits: { upstreamRetryAttempts: 2, upstreamRetryBaseDelayMs: 20 },
    });
    try {
      const client = connect(local.url);
      const outcome = new Promise<unknown>((resolve) => {
        let stopped = false;
        client.subscribe(
          { query: 'subscription { ticks(symbols: ["D"], intervalMs: 10) { seq } }' },
          {
            next: () => {
              if (!stopped) void doomed.stop();
              stopped = true;
            },
            error: resolve,
            complete: () => resolve('completed without an error'),
          },
        );
      });
      expect(await outcome).toEqual([
        expect.objectContaining({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }),
      ]);
      await waitFor(() => local.subscriptions.stats().upstreamSubscriptions === 0);
    } finally {
      await local.stop();
    }
  });
});
