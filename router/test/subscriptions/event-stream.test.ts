import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-sse';
import { startSubscriptionGraph, type SubscriptionGraph } from './subscription-graph.js';

interface Result {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe('subscriptions over server-sent events (graphql-sse, distinct connections)', () => {
  let graph: SubscriptionGraph;
  const clients: Client[] = [];

  const client = (headers: Record<string, string> = {}) => {
    const created = createClient({
      url: graph.router.url,
      singleConnection: false,
      retryAttempts: 0,
      headers,
    });
    clients.push(created);
    return created;
  };

  /** The first `count` results of an operation, then stops it. */
  const take = async (sse: Client, query: string, count: number) => {
    const results: Result[] = [];
    for await (const result of sse.iterate({ query })) {
      results.push(result as Result);
      if (results.length === count) break;
    }
    return results;
  };

  beforeAll(async () => {
    graph = await startSubscriptionGraph();
  });
  afterAll(async () => {
    for (const created of clients) created.dispose();
    await graph.stop();
  });

  it('streams a public subscription, completed with fields of another subgraph', async () => {
    const results = await take(
      client(),
      'subscription { ticks(symbols: ["BTC"], intervalMs: 20) { symbol seq instrument { name } } }',
      3,
    );
    expect(results.map((result) => result.data?.ticks)).toEqual([
      { symbol: 'BTC', seq: 1, instrument: { name: 'BTC Corp' } },
      { symbol: 'BTC', seq: 2, instrument: { name: 'BTC Corp' } },
      { symbol: 'BTC', seq: 3, instrument: { name: 'BTC Corp' } },
    ]);
  });

  it('forwards the caller of the bearer token, as graphql-ws does', async () => {
    const token = await graph.tokenFor('alice');
    const [result] = await take(
      client({ authorization: `Bearer ${token}` }),
      'subscription { myTicks(symbols: ["ETH"], intervalMs: 20) { subscriber } }',
      1,
    );
    expect(result?.data).toEqual({ myTicks: { subscriber: 'alice' } });
  });

  it('gives an anonymous caller no private events', async () => {
    const [result] = await take(
      client(),
      'subscription { myTicks(symbols: ["ETH"], intervalMs: 20) { subscriber } }',
      1,
    );
    expect(result?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result?.data ?? null).toBeNull();
  });

  it('refuses a bad token with HTTP 401 UNAUTHENTICATED before streaming', async () => {
    const response = await fetch(graph.router.url, {
      method: 'POST',
      headers: {
        accept: 'text/event-stream',
        'content-type': 'application/json',
        authorization: 'Bearer not-a-jwt',
      },
      body: JSON.stringify({ query: 'subscription { ticks(symbols: ["BTC"]) { seq } }' }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'The bearer token is not valid; sign in again.',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
  });

  it('answers an invalid operation with an error event, and a non-request with 400', async () => {
    const [result] = await take(client(), 'subscription { nope }', 1);
    expect(result?.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const response = await fetch(graph.router.url, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ query: 42 }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Result).errors?.[0]?.extensions).toEqual({
      code: 'BAD_REQUEST',
    });
  });

  it('serves queries too, then completes the stream', async () => {
    const once = await new Promise<Result[]>((resolve, reject) => {
      const seen: Result[] = [];
      client().subscribe(
        { query: '{ ping }' },
        {
          next: (result) => void seen.push(result as Result),
          error: reject,
          complete: () => resolve(seen),
        },
      );
    });
    expect(once).toEqual([{ data: { ping: 'pong' } }]);
  });

  it('counts an open stream as a subscription and forgets it when the client goes away', async () => {
    const controller = new AbortController();
    const response = await fetch(graph.router.url, {
      method: 'POST',
      signal: controller.signal,
      headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'subscription { ticks(symbols: ["SOL"], intervalMs: 20) { seq } }',
      }),
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body?.getReader();
    const first = new TextDecoder().decode((await reader?.read())?.value);
    expect(first).toMatch(/^event: next\ndata: \{"data":\{"ticks":\{"seq":\d+\}\}\}\n\n/);
    expect(graph.router.subscriptions.stats().subscriptions).toBe(1);

    controller.abort();
    while (graph.router.subscriptions.stats().subscriptions > 0) await sleep(10);
    expect(graph.router.subscriptions.stats().connections).toBe(0);
  });

  it('ends the stream of a client that stops reading, and keeps serving others', async () => {
    const before = graph.router.subscriptions.stats().slowConsumersClosed;
    const body = JSON.stringify({
      query:
        'subscription { ticks(symbols: ["XRP"], intervalMs: 5, paddingBytes: 60000) { padding } }',
    });
    const request = http.request(graph.router.url, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
    });
    // Reads the headers, then nothing: the router's unsent bytes pile up.
    request.on('response', (response) => response.pause());
    request.end(body);
    while (graph.router.subscriptions.stats().slowConsumersClosed === before) await sleep(20);
    request.destroy();

    const [result] = await take(
      client(),
      'subscription { ticks(symbols: ["XRP"], intervalMs: 20) { symbol } }',
      1,
    );
    expect(result?.data).toEqual({ ticks: { symbol: 'XRP' } });
  });
});
