import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startSubscriptionGraph, type SubscriptionGraph } from './subscription-graph.js';

describe('subscriptions on the router endpoint', () => {
  let graph: SubscriptionGraph;
  let client: Client;

  beforeAll(async () => {
    graph = await startSubscriptionGraph();
    client = createClient({
      url: graph.router.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${await graph.tokenFor('carol')}` },
    });
  });

  afterAll(async () => {
    await client.dispose();
    await graph.stop();
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
    expect(graph.router.subscriptions.stats().connections).toBe(1);
  });

  it('answers a subscription posted by a client that accepts no stream with how to subscribe', async () => {
    const response = await fetch(graph.router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'subscription { ticks(symbols: ["Z"]) { symbol } }' }),
    });
    expect(response.status).toBe(406);
    expect((await response.json()) as unknown).toEqual({
      errors: [
        expect.objectContaining({
          message: `Subscriptions are streamed: POST them with "Accept: multipart/mixed;subscriptionSpec=1.0" (Apollo Client) or "Accept: text/event-stream" (GraphQL over SSE), or connect a graphql-ws client to ${graph.router.url.replace(/^http/, 'ws')}.`,
          extensions: { code: 'NOT_ACCEPTABLE' },
        }),
      ],
    });
  });
});
