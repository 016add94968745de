import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { pino } from 'pino';
import { startRouter, type RunningRouter } from '../../src/index.js';
import {
  composeSupergraph,
  startInstrumentsSubgraph,
  startPricesSubgraph,
} from './test-subgraphs.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const internalToken = 'test-internal-token';
const FAILURES_TO_OPEN = 2;

const TICKS =
  'subscription { ticks(symbols: ["AAA"], intervalMs: 10) { seq instrument { name } } }';

/** The value of one Prometheus sample of the router, 0 when it has none yet. */
const sample = async (router: RunningRouter, name: string, labels: string) => {
  const text = await (await fetch(new URL('/metrics', router.url))).text();
  const line = new RegExp(`^${name}\\{${labels}\\} (\\d+)$`, 'm').exec(text);
  return Number(line?.[1] ?? 0);
};

describe('completing subscription events from other subgraphs', () => {
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
      jwtSecret: 'test-secret-that-is-at-least-32-characters-long',
      internalToken,
      port: 0,
      circuitBreaker: { failureThreshold: FAILURES_TO_OPEN, resetAfterMs: 60_000 },
      subscriptions: { publicSubscriptionFields: ['ticks'] },
    });
    client = createClient({
      url: router.url.replace('http:', 'ws:'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
  });

  afterAll(async () => {
    await client.dispose();
    await router.stop();
    await prices.stop();
  });

  it('guards the entity fetches with the circuit breaker that queries use', async () => {
    let first: FormattedExecutionResult<Record<string, unknown>, unknown> | undefined;
    const failed: FormattedExecutionResult<Record<string, unknown>, unknown>[] = [];
    for await (const event of client.iterate({ query: TICKS })) {
      if (!first) {
        first = event;
        await instruments.stop();
      } else if (event.errors) {
        failed.push(event);
        if (failed.length === FAILURES_TO_OPEN + 6) break;
      }
    }

    expect(first).toEqual({ data: { ticks: { seq: 1, instrument: { name: 'AAA Corp' } } } });
    for (const event of failed) {
      expect(event.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }),
      ]);
    }
    // Calls after the circuit opened were refused without reaching for the stopped subgraph.
    const outcome = (name: string) => `subgraph="instruments",outcome="${name}"`;
    const unreachable = await sample(
      router,
      'router_subgraph_fetch_errors_total',
      outcome('unreachable'),
    );
    const refused = await sample(
      router,
      'router_subgraph_fetch_errors_total',
      outcome('circuit_open'),
    );
    // Fetches already under way when the circuit opened still reach for the subgraph.
    expect(unreachable).toBeGreaterThanOrEqual(FAILURES_TO_OPEN);
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(unreachable + refused).toBeGreaterThanOrEqual(failed.length);
  });

  it('refuses the subgraph at once for queries too, since both paths share its circuit', async () => {
    const response = await fetch(router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ instrument(symbol: "AAA") { name } }' }),
    });
    expect(await response.json()).toEqual({
      data: { instrument: null },
      errors: [
        expect.objectContaining({
          message:
            'The instruments service is unavailable (it failed repeatedly and is given a moment to recover); try again shortly.',
          extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
        }),
      ],
    });
  });
});
