import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import { pino } from 'pino';
import WebSocket from 'ws';
import { subscribeLive } from '../../../tests/support/live-subscription.js';
import { startSubscriptionGraph, type SubscriptionGraph } from './subscription-graph.js';
import { composeSupergraph } from './test-subgraphs.js';

interface Tick {
  ticks: { seq: number; instrument: { name: string } };
}

const RELOADED = 'now serving the new supergraph';
const KEPT = 'the router keeps serving the previous one';

describe('replacing the supergraph file while serving', () => {
  let folder: string;
  let file: string;
  let graph: SubscriptionGraph;
  let client: Client;
  const logLines: { msg: string; reason?: string }[] = [];

  /** Resolves once the router has logged `message` for the `count`-th time. */
  const logged = async (message: string, count: number) => {
    while (logLines.filter((line) => line.msg.includes(message)).length < count) await sleep(20);
    return logLines.filter((line) => line.msg.includes(message)).at(-1);
  };

  /** Replaces the file the way editors and `npm run schema` do: a new file renamed over it. */
  const replaceFile = async (text: string) => {
    const next = `${file}.next`;
    await writeFile(next, text);
    await rename(next, file);
  };

  const instrumentQuery = async () => {
    const response = await fetch(graph.router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ instrument(symbol: "Q") { name } }' }),
    });
    return (await response.json()) as {
      data?: unknown;
      errors?: { extensions: { code: string } }[];
    };
  };

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'supergraph-reload-'));
    file = path.join(folder, 'supergraph.graphql');
    graph = await startSubscriptionGraph({
      supergraphPath: file,
      writeSupergraph: (sdl) => writeFile(file, sdl),
      logger: pino(
        { level: 'info' },
        { write: (line: string) => void logLines.push(JSON.parse(line) as (typeof logLines)[0]) },
      ),
    });
    client = createClient({
      url: graph.router.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
  });

  afterAll(async () => {
    await client.dispose();
    await graph.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('serves a new supergraph to new operations while open subscriptions keep delivering, and keeps it when the next file is bad', async () => {
    const live = subscribeLive<Tick>(
      client,
      'subscription { ticks(symbols: ["LIVE"], intervalMs: 20) { seq instrument { name } } }',
    );
    await live.received(1);
    expect(await instrumentQuery()).toEqual({ data: { instrument: { name: 'Q Corp' } } });

    // The new supergraph has no instruments subgraph: new operations cannot ask for instruments.
    await replaceFile(composeSupergraph({ prices: graph.subgraphUrls.prices }));
    await logged(RELOADED, 1);
    expect((await instrumentQuery()).errors?.[0]?.extensions.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    const refused = subscribeLive<Tick>(
      client,
      'subscription { ticks(symbols: ["NEW"], intervalMs: 20) { seq instrument { name } } }',
    );
    expect(await refused.failure).toEqual([
      expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
    // The subscription opened before the reload goes on, on the plan it started with.
    const seen = live.events.length;
    const after = await live.received(seen + 2);
    expect(after.at(-1)?.ticks.instrument).toEqual({ name: 'LIVE Corp' });

    await replaceFile('type Query { half a supergraph');
    const kept = await logged(KEPT, 1);
    expect(kept?.reason).toMatch(/Syntax Error/);
    expect((await instrumentQuery()).errors?.[0]?.extensions.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    await live.received(live.events.length + 1);

    await replaceFile(
      composeSupergraph({
        prices: graph.subgraphUrls.prices,
        instruments: graph.subgraphUrls.instruments,
      }),
    );
    await logged(RELOADED, 2);
    expect(await instrumentQuery()).toEqual({ data: { instrument: { name: 'Q Corp' } } });
    await live.received(live.events.length + 1);
    expect(live.events.every((event) => event.ticks.instrument.name === 'LIVE Corp')).toBe(true);
    live.stop();
  });
});
