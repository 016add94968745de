import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { startTestGraph, type TestGraph } from './support/test-graph.js';

const RESET_AFTER_MS = 300;

const startGraph = () =>
  startTestGraph({
    subgraphTimeouts: { defaultMs: 5_000, bySubgraph: { notes: 200 } },
    circuitBreaker: { failureThreshold: 3, resetAfterMs: RESET_AFTER_MS },
  });

const circuitOpenCount = async (graph: TestGraph) => {
  const text = await (await fetch(new URL('/metrics', graph.router.url))).text();
  const line =
    /^router_subgraph_fetch_errors_total\{subgraph="notes",outcome="circuit_open"\} (\d+)$/m.exec(
      text,
    );
  return Number(line?.[1] ?? 0);
};

const unavailable = (why: string) => ({
  message: `The notes service is unavailable (${why}); try again shortly.`,
  extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
});

describe('subgraph timeouts and the circuit breaker', () => {
  it('answers SUBGRAPH_UNAVAILABLE when a subgraph takes longer than its timeout, and keeps the rest of the answer', async () => {
    const graph = await startGraph();
    try {
      const { status, body } = await graph.post({ query: '{ whoAmI slowNote(ms: 2000) }' });
      expect(status).toBe(200);
      expect(body).toEqual({
        data: { whoAmI: null, slowNote: null },
        errors: [unavailable('no answer within 200 ms')],
      });
    } finally {
      await graph.stop();
    }
  });

  it('stops calling a subgraph that is down, refusing at once, while the others keep serving', async () => {
    const graph = await startGraph();
    try {
      await graph.subgraphs.notes.stop();
      for (let i = 0; i < 3; i += 1) {
        const { body } = await graph.post({ query: '{ notesHop { requestId } }' });
        expect(body.errors).toEqual([
          expect.objectContaining({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }),
        ]);
      }
      expect(await circuitOpenCount(graph)).toBe(0);

      const refused = await graph.post({ query: '{ notesHop { requestId } }' });
      expect(refused.body.errors).toEqual([
        unavailable('it failed repeatedly and is given a moment to recover'),
      ]);
      expect(await circuitOpenCount(graph)).toBe(1);
      expect(graph.routerLogs).toContainEqual(
        expect.objectContaining({ level: 40, subgraph: 'notes', retryInMs: RESET_AFTER_MS }),
      );

      const accounts = await graph.post({ query: '{ user(id: "u1") { name } }' });
      expect(accounts.body).toEqual({ data: { user: { name: 'Ada' } } });
    } finally {
      await graph.router.stop();
      await graph.subgraphs.accounts.stop();
    }
  });

  it('tries one call after the reset time and closes the circuit when it succeeds', async () => {
    const graph = await startGraph();
    try {
      for (let i = 0; i < 3; i += 1) await graph.post({ query: '{ slowNote(ms: 400) }' });
      const refused = await graph.post({ query: '{ notesHop { requestId } }' });
      expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE' });

      await sleep(RESET_AFTER_MS);
      const trial = await graph.post({ query: '{ notesHop { requestId } }' });
      expect(trial.body.errors).toBeUndefined();
      const next = await graph.post({ query: '{ missingNote }' });
      expect(next.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', noteId: 'n-404' });
      expect(graph.routerLogs).toContainEqual(
        expect.objectContaining({
          level: 30,
          subgraph: 'notes',
          msg: expect.stringContaining('answers again'),
        }),
      );
    } finally {
      await graph.stop();
    }
  });
});
