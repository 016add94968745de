import { createClient } from 'graphql-ws';
import { setTimeout as delay } from 'node:timers/promises';
import WebSocket from 'ws';

/**
 * A client that does everything right, on its own connection, while the tests
 * attack others: it follows live prices and notes anything that interrupts them.
 */
export interface WellBehavedClient {
  /** Price events received so far. */
  readonly received: () => number;
  /** What went wrong on its connection: closes, errors, a completed stream. Empty means no gap. */
  readonly interruptions: string[];
  /** Resolves once more events arrive than have so far; rejects if none come for two minutes. */
  nextEvents(count?: number): Promise<void>;
  /** `/ready` and an HTTP query both answer; the stack still serves. */
  stillServes(): Promise<void>;
  /** Throws unless nothing interrupted the connection and the stack still serves. */
  assertUndisturbed(): Promise<void>;
  stop(): Promise<void>;
}

// Generous: on a loaded machine the first tick can take tens of seconds to go round
// (the embedded Postgres shares the CPU); no timing is asserted.
const WAIT_MS = 120_000;
const READY_ATTEMPTS = 10;

export const startWellBehavedClient = async (routerUrl: string): Promise<WellBehavedClient> => {
  const interruptions: string[] = [];
  let received = 0;
  let waiters: { target: number; resolve: () => void }[] = [];
  const client = createClient({
    url: routerUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    on: {
      connected: () => connected(),
      closed: (event) => {
        if (!stopping) interruptions.push(`closed: ${JSON.stringify(event)}`);
      },
      error: (error) => interruptions.push(`socket error: ${String(error)}`),
    },
  });
  let stopping = false;
  let connected: () => void = () => undefined;
  const acknowledged = new Promise<void>((resolve) => (connected = resolve));
  const unsubscribe = client.subscribe(
    { query: 'subscription { priceTicks(symbols: ["BTC-USDT", "ETH-USDT"]) { symbol price } }' },
    {
      next: (result) => {
        if (result.errors) interruptions.push(`errors: ${JSON.stringify(result.errors)}`);
        received += 1;
        waiters = waiters.filter((waiter) => {
          if (received < waiter.target) return true;
          waiter.resolve();
          return false;
        });
      },
      error: (error) => interruptions.push(`subscription error: ${JSON.stringify(error)}`),
      complete: () => {
        if (!stopping) interruptions.push('the subscription completed');
      },
    },
  );
  const nextEvents = (count = 1) =>
    new Promise<void>((resolve, reject) => {
      const target = received + count;
      const timer = setTimeout(
        () => reject(new Error(`no price event for ${WAIT_MS} ms (received ${received})`)),
        WAIT_MS,
      );
      waiters.push({
        target,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  await acknowledged;
  const origin = new URL(routerUrl).origin;
  const stillServes = async () => {
    // /ready gives each subgraph 2 s; on a loaded machine one may miss that once.
    let ready = await fetch(`${origin}/ready`);
    for (let attempt = 1; ready.status !== 200 && attempt < READY_ATTEMPTS; attempt++) {
      await delay(1_000);
      ready = await fetch(`${origin}/ready`);
    }
    if (ready.status !== 200)
      throw new Error(`/ready answered ${ready.status}: ${await ready.text()}`);
    const response = await fetch(routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ serverTime }' }),
    });
    const body = (await response.json()) as { data?: { serverTime?: string } };
    if (!body.data?.serverTime) throw new Error(`a query failed: ${JSON.stringify(body)}`);
  };
  return {
    received: () => received,
    interruptions,
    nextEvents,
    stillServes,
    async assertUndisturbed() {
      if (interruptions.length > 0) {
        throw new Error(`the well-behaved client was interrupted: ${interruptions.join('; ')}`);
      }
      await stillServes();
    },
    async stop() {
      stopping = true;
      unsubscribe();
      await client.dispose();
    },
  };
};
