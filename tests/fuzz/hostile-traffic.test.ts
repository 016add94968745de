import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as delay } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { startTestStack, type TestStack } from '../support/running-stack.js';
import { OPCODE, clientFrame, openRawWebSocket, textFrame } from '../support/raw-websocket.js';
import { startWellBehavedClient, type WellBehavedClient } from '../support/well-behaved-client.js';
import {
  graphqlWsSequence,
  hostileConnection,
  hostileRequest,
  send,
  type HostileConnection,
  type HostileRequest,
} from './hostile-inputs.js';

// Hostile traffic against one stack (router and four subgraphs in this process,
// as `npm start` runs them). Every test ends the same way: /ready answers, and a
// well-behaved client on its own connection saw no gap in its live prices.
// Seeds are fixed so a failure reproduces; set FUZZ_SEED to explore others.

const SEED = Number(process.env.FUZZ_SEED ?? 14);
const CONCURRENCY = 16;
const SOAK_FRAMES = 10_000;
const SOAK_REQUESTS = 10_000;

/** A full collection, so two RSS readings compare live memory rather than garbage. */
const collectGarbage = (() => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return async () => {
    for (let i = 0; i < 3; i++) {
      gc();
      await delay(50);
    }
  };
})();

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

/** Runs `work` over `items` with at most CONCURRENCY at a time. */
const pool = async <T>(items: readonly T[], work: (item: T) => Promise<void>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
};

/** One hostile connection: its frames, then a reset, a close frame or a torn frame. */
const attack = async (url: string, connection: HostileConnection) => {
  const socket = await openRawWebSocket(url);
  for (const frame of connection.frames) socket.write(frame);
  if (connection.ending === 'close-frame') {
    socket.write(clientFrame(OPCODE.close, Buffer.from([0x03, 0xe8])));
  } else if (connection.ending === 'half-frame-then-reset') {
    socket.write(textFrame('{"type":"ping"}').subarray(0, 5));
    socket.reset();
  } else socket.reset();
  await Promise.race([socket.closed, delay(2_000).then(() => socket.reset())]);
};

describe('hostile traffic against one stack', () => {
  let stack: TestStack;
  let bystander: WellBehavedClient;

  beforeAll(async () => {
    stack = await startTestStack();
    bystander = await startWellBehavedClient(stack.router.url);
  }, 180_000);

  // Nothing interrupted the bystander's connection, and the stack still serves.
  afterEach(() => bystander.assertUndisturbed(), 120_000);

  afterAll(async () => {
    await bystander?.stop();
    await stack?.close();
  }, 60_000);

  it('answers hostile HTTP bodies, documents and variables with a client error or a result, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (request) => {
        const { status, text } = await send(stack.router.url, request);
        if (status >= 500) throw new Error(`answered ${status}: ${text.slice(0, 300)}`);
      }),
      { numRuns: 300, seed: SEED },
    );
  }, 300_000);

  it('ends only the connection that sends a hostile graphql-ws message sequence', async () => {
    await fc.assert(
      fc.asyncProperty(graphqlWsSequence, async (messages) => {
        const socket = await openRawWebSocket(stack.router.url);
        for (const message of messages) socket.write(textFrame(message));
        // A ping the server answers (or a close) shows it dealt with everything before it.
        socket.write(textFrame('{"type":"ping"}'));
        await Promise.race([socket.closed, delay(300)]);
        socket.reset();
        await socket.closed;
      }),
      { numRuns: 150, seed: SEED },
    );
  }, 300_000);

  it('ends only the connection that sends hostile WebSocket frames', async () => {
    await fc.assert(
      fc.asyncProperty(hostileConnection, async (connection) => {
        await attack(stack.router.url, connection);
      }),
      { numRuns: 200, seed: SEED },
    );
  }, 300_000);

  it('leaves the bystander receiving prices throughout', async () => {
    await bystander.nextEvents(3);
  }, 300_000);

  it(`then stays up through ${SOAK_FRAMES} hostile frames and ${SOAK_REQUESTS} hostile requests, and keeps none of the memory it used`, async () => {
    const connections: HostileConnection[] = [];
    let frames = 0;
    for (const connection of fc.sample(hostileConnection, { numRuns: SOAK_FRAMES, seed: SEED })) {
      if (frames >= SOAK_FRAMES) break;
      connections.push(connection);
      frames += connection.frames.length;
    }
    const requests = fc.sample(hostileRequest, { numRuns: SOAK_REQUESTS, seed: SEED + 1 });
    // The router caches parsed documents and query plans (bounded LRUs); a first pass of
    // the same requests fills them, so what the soak adds after it is what the stack keeps.
    await pool(requests, async (request) => void (await send(stack.router.url, request)));
    // The stack shares this process: measure after the attack's own inputs exist, so only the stack's growth counts.
    await collectGarbage();
    const before = process.memoryUsage();
    const serverErrors: string[] = [];
    await Promise.all([
      pool(connections, (connection) => attack(stack.router.url, connection)),
      pool(requests, async (request: HostileRequest) => {
        const { status, text } = await send(stack.router.url, request);
        if (status >= 500)
          serverErrors.push(
            `${status} for ${request.method} ${request.body.slice(0, 200)}: ${text.slice(0, 200)}`,
          );
      }),
    ]);
    expect(frames).toBeGreaterThanOrEqual(SOAK_FRAMES);
    expect(serverErrors).toEqual([]);
    expect(stack.router.subscriptions.stats().connections).toBe(1); // the bystander's

    await bystander.stillServes();
    await collectGarbage();
    const after = process.memoryUsage();
    // What the stack still holds once collected. RSS is only reported: in one process
    // with the attackers' 10,000 sockets it shows the allocator's high-water mark.
    console.info(
      `hostile soak: heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)} MB, RSS ${mb(before.rss)} → ${mb(after.rss)} MB`,
    );
    expect(after.heapUsed).toBeLessThanOrEqual(before.heapUsed * 1.2);
  }, 600_000);
});
