import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/running-stack.js';

// The router's edge against the whole stack as `npm start` runs it: a subgraph
// that goes away costs only its own fields, answered SUBGRAPH_UNAVAILABLE, and
// the router's metrics say so.

describe('router edge in a running stack', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  }, 60_000);
  afterAll(async () => {
    // As stack.close() does, but the stock subgraph was already stopped by a test.
    await stack.router.stop();
    const stillRunning = Object.entries(stack.subgraphs).filter(([name]) => name !== 'stock');
    await Promise.all(stillRunning.map(([, subgraph]) => subgraph.stop()));
    await stack.database.close();
  });

  const scrapeMetrics = async () => (await fetch(new URL('/metrics', stack.router.url))).text();

  it('serves the stock and crypto markets side by side while both are up', async () => {
    const { status, body } = await stack.graphql('{ stocks { symbol } cryptoPairs { symbol } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const metrics = await scrapeMetrics();
    expect(metrics).toMatch(
      /^router_graphql_requests_total\{operation="anonymous",code="none"\} \d+$/m,
    );
    expect(metrics).toMatch(
      /^router_subgraph_fetch_duration_seconds_count\{subgraph="stock",outcome="ok"\} \d+$/m,
    );
  });

  it('answers SUBGRAPH_UNAVAILABLE for the fields of a stopped subgraph and serves the rest', async () => {
    await stack.subgraphs.stock.stop();
    const { status, body } = await stack.graphql('{ stocks { symbol } }');
    // A non-null root field that could not be had nulls the whole answer.
    expect([status, body.data]).toEqual([200, null]);
    expect(body.errors).toEqual([
      {
        message: 'The stock service is unavailable (it cannot be reached); try again shortly.',
        extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
      },
    ]);
    const crypto = await stack.graphql('{ cryptoPairs { symbol } }');
    expect(crypto.body.errors).toBeUndefined();

    const metrics = await scrapeMetrics();
    expect(metrics).toMatch(
      /^router_subgraph_fetch_errors_total\{subgraph="stock",outcome="unreachable"\} [1-9]\d*$/m,
    );
    expect(metrics).toMatch(
      /^router_graphql_requests_total\{operation="anonymous",code="SUBGRAPH_UNAVAILABLE"\} [1-9]\d*$/m,
    );
  });

  it('refuses a cross-site GET with CSRF_PREVENTED', async () => {
    const response = await fetch(`${stack.router.url}?query=%7BserverTime%7D`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [expect.objectContaining({ extensions: { code: 'CSRF_PREVENTED' } })],
    });
  });
});
