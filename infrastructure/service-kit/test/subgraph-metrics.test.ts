import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { createClient } from 'graphql-ws';
import { pino } from 'pino';
import WebSocket from 'ws';
import { DomainError } from '@simple-securities/shared-kernel';
import { startSubgraphServer, type RunningService } from '../src/index.js';

const quotes = {
  name: 'quotes',
  typeDefs: parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query {
      quote(symbol: String!): String!
    }
    type Subscription {
      quotes(count: Int!): String!
    }
  `),
  resolvers: {
    Query: {
      quote: (_: unknown, { symbol }: { symbol: string }) => {
        if (symbol !== 'AAA') throw new DomainError('NOT_FOUND', `There is no ${symbol}.`);
        return '100.00';
      },
    },
    Subscription: {
      quotes: {
        subscribe: async function* (_: unknown, { count }: { count: number }) {
          for (let i = 0; i < count; i += 1) yield { quotes: `${100 + i}.00` };
        },
      },
    },
  },
};

let service: RunningService;

beforeAll(async () => {
  service = await startSubgraphServer(quotes, {
    port: 0,
    logger: pino({ level: 'silent' }),
    internalToken: 'metrics-test-internal-token',
    subscriptions: true,
  });
});

afterAll(async () => {
  await service.stop();
});

const query = (body: { query: string; operationName?: string }) =>
  fetch(service.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const scrape = async () => {
  const response = await fetch(new URL('/metrics', service.url));
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
};

/** A sample's value, 0 when it is missing. */
const sample = (text: string, name: string, labels: string) => {
  const escaped = `${name}{${labels}}`.replace(/[{}]/g, '\\$&');
  return Number(new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
};

describe("a subgraph's Prometheus /metrics", () => {
  it('counts requests by operation and error code, and times them', async () => {
    await query({ query: 'query Quote { quote(symbol: "AAA") }' });
    await query({ query: 'query Quote { quote(symbol: "AAA") }' });
    await query({ query: 'query Quote { quote(symbol: "ZZZ") }' });

    const text = await scrape();
    const requests = 'subgraph_graphql_requests_total';
    expect(sample(text, requests, 'operation="Quote",code="none",subgraph="quotes"')).toBe(2);
    expect(sample(text, requests, 'operation="Quote",code="NOT_FOUND",subgraph="quotes"')).toBe(1);
    expect(
      sample(
        text,
        'subgraph_graphql_request_duration_seconds_count',
        'subgraph="quotes",operation="Quote"',
      ),
    ).toBe(3);
    // The process's own figures are there too, for a subgraph run alone.
    expect(text).toMatch(/^process_cpu_user_seconds_total\{subgraph="quotes"\} /m);
  });

  it('counts the subscription events it delivers', async () => {
    const client = createClient({
      url: service.url.replace('http:', 'ws:'),
      webSocketImpl: WebSocket,
    });
    try {
      const received: unknown[] = [];
      for await (const event of client.iterate({ query: 'subscription { quotes(count: 3) }' })) {
        received.push(event);
      }
      expect(received).toHaveLength(3);
    } finally {
      await client.dispose();
    }
    const text = await scrape();
    expect(sample(text, 'subgraph_subscription_events_delivered_total', 'subgraph="quotes"')).toBe(
      3,
    );
  });
});
