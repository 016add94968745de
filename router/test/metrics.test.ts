import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestGraph, type TestGraph } from './support/test-graph.js';

/** One sample line of the Prometheus text format: name, optional labels, value. */
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.]+(e[+-]?[0-9]+)?|NaN|[+-]Inf)$/;

const sampleValue = (exposition: string, name: string, labels: string) => {
  const line = exposition
    .split('\n')
    .find((candidate) => candidate.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
};

describe('Prometheus /metrics', () => {
  let graph: TestGraph;
  let metricsUrl: string;
  const scrape = async () => {
    const response = await fetch(metricsUrl);
    expect(response.status).toBe(200);
    return { contentType: response.headers.get('content-type'), text: await response.text() };
  };

  beforeAll(async () => {
    graph = await startTestGraph();
    metricsUrl = new URL('/metrics', graph.router.url).href;
  });
  afterAll(async () => {
    await graph.stop();
  });

  it('is valid text exposition format, with HELP and TYPE for every family', async () => {
    await graph.post({ query: 'query Who { whoAmI }' });
    const { contentType, text } = await scrape();
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const lines = text.split('\n').filter(Boolean);
    for (const line of lines) {
      if (line.startsWith('#')) expect(line).toMatch(/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/);
      else expect(line).toMatch(SAMPLE);
    }
    const typed = new Map(
      lines
        .filter((line) => line.startsWith('# TYPE '))
        .map((line) => line.split(' ').slice(2) as [string, string]),
    );
    expect(Object.fromEntries([...typed].filter(([name]) => name.startsWith('router_')))).toEqual({
      router_graphql_requests_total: 'counter',
      router_graphql_request_duration_seconds: 'histogram',
      router_subgraph_fetch_duration_seconds: 'histogram',
      router_subgraph_fetch_errors_total: 'counter',
      router_subscriptions_open: 'gauge',
      router_subscription_connections_open: 'gauge',
      router_subscription_events_delivered_total: 'counter',
      router_subscription_events_dropped_total: 'counter',
    });
    expect(typed.get('process_cpu_seconds_total')).toBe('counter');
  });

  it('counts requests by operation name and error code, and times them', async () => {
    const before = await scrape();
    await graph.post({ query: 'query Who { whoAmI }' });
    await graph.post({ query: '{ missingNote }' });
    await graph.post({ query: '{ whoAmI' });
    await fetch(`${graph.router.url}?query=%7BwhoAmI%7D`);
    const after = await scrape();
    const delta = (name: string, labels: string) =>
      (sampleValue(after.text, name, labels) ?? 0) - (sampleValue(before.text, name, labels) ?? 0);
    const requests = 'router_graphql_requests_total';
    expect(delta(requests, 'operation="Who",code="none"')).toBe(1);
    expect(delta(requests, 'operation="anonymous",code="NOT_FOUND"')).toBe(1);
    expect(delta(requests, 'operation="anonymous",code="GRAPHQL_PARSE_FAILED"')).toBe(1);
    expect(delta(requests, 'operation="none",code="CSRF_PREVENTED"')).toBe(1);
    expect(delta('router_graphql_request_duration_seconds_count', 'operation="Who"')).toBe(1);
    expect(
      delta('router_subgraph_fetch_duration_seconds_count', 'subgraph="accounts",outcome="ok"'),
    ).toBe(1);
    expect(after.text).toContain('\nrouter_subscriptions_open 0\n');
    expect(after.text).toContain('\nrouter_subscription_events_delivered_total 0\n');
  });

  it('keeps operation names to a bounded set, counting the rest as other', async () => {
    await Promise.all(
      Array.from({ length: 250 }, (_, i) => graph.post({ query: `query Op${i} { whoAmI }` })),
    );
    const { text } = await scrape();
    const operations = new Set(
      [...text.matchAll(/^router_graphql_requests_total\{operation="([^"]*)"/gm)].map(
        (match) => match[1],
      ),
    );
    // 200 names as sent, `other`, and `none` (requests refused before GraphQL).
    expect(operations.size).toBeLessThanOrEqual(202);
    expect(operations).toContain('other');
  });
});

it('serves no /metrics when metrics are turned off', async () => {
  const graph = await startTestGraph({ metrics: false });
  try {
    expect((await fetch(new URL('/metrics', graph.router.url))).status).toBe(404);
  } finally {
    await graph.stop();
  }
});
