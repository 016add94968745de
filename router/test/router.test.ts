import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestGraph, type TestGraph } from './support/test-graph.js';

/** Asks for the media type whose status says whether the request was refused (400) or ran. */
const GRAPHQL_RESPONSE = { accept: 'application/graphql-response+json' };
const W3C_TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('router over real HTTP with two subgraphs', () => {
  let graph: TestGraph;
  let base: string;

  beforeAll(async () => {
    graph = await startTestGraph({ limits: { maxDepth: 15, maxAliases: 5 } });
    base = new URL(graph.router.url).origin;
  });
  afterAll(async () => {
    await graph.stop();
  });

  it('plans a query across both subgraphs', async () => {
    const { status, body } = await graph.post({
      query: '{ user(id: "u1") { id name notes bestFriend { name notes } } }',
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      data: {
        user: {
          id: 'u1',
          name: 'Ada',
          notes: ['buy BTC', 'sell AAPL'],
          bestFriend: { name: 'Grace', notes: [] },
        },
      },
    });
  });

  describe('authentication', () => {
    it('forwards the caller of a valid token to the subgraphs', async () => {
      const token = await graph.tokenFor('u1');
      const { status, body } = await graph.post(
        { query: '{ whoAmI me { id name notes } }' },
        { authorization: `Bearer ${token}` },
      );
      expect(status).toBe(200);
      expect(body).toEqual({
        data: { whoAmI: 'u1', me: { id: 'u1', name: 'Ada', notes: ['buy BTC', 'sell AAPL'] } },
      });
    });

    it('lets anonymous requests through without a caller; subgraphs decide', async () => {
      const { status, body } = await graph.post({ query: '{ whoAmI }' });
      expect(status).toBe(200);
      expect(body).toEqual({ data: { whoAmI: null } });

      const me = await graph.post({ query: '{ me { id } }' });
      expect(me.body.errors?.[0]).toMatchObject({
        message: 'Sign in first: this needs a valid bearer token.',
        extensions: { code: 'UNAUTHENTICATED' },
      });
    });

    it('never forwards caller headers a client sends itself', async () => {
      const { body } = await graph.post(
        { query: '{ whoAmI }' },
        {
          'x-internal-token': 'router-test-internal-token',
          'x-caller-id': 'u2',
          'x-caller-roles': 'admin',
          'x-caller-permissions': 'everything',
        },
      );
      expect(body).toEqual({ data: { whoAmI: null } });

      const token = await graph.tokenFor('u1');
      const signedIn = await graph.post(
        { query: '{ whoAmI }' },
        { authorization: `Bearer ${token}`, 'x-caller-id': 'u2' },
      );
      expect(signedIn.body).toEqual({ data: { whoAmI: 'u1' } });
    });

    it.each([
      [
        'a forged token',
        async () => `Bearer ${await graph.tokenFor('u1', { secret: 'x'.repeat(40) })}`,
        'The bearer token is not valid; sign in again.',
      ],
      [
        'an expired token',
        async () =>
          `Bearer ${await graph.tokenFor('u1', { issuedAt: new Date(Date.now() - 3_600_000) })}`,
        'Your session has expired; sign in again.',
      ],
      ['garbage', async () => 'Bearer not-a-jwt', 'The bearer token is not valid; sign in again.'],
      [
        'another scheme',
        async () => 'Basic dXNlcjpwYXNz',
        'Send the access token as "Authorization: Bearer <token>".',
      ],
    ])(
      'answers 401 UNAUTHENTICATED for %s and keeps serving',
      async (_, authorization, message) => {
        const rejected = await graph.post(
          { query: '{ whoAmI }' },
          { authorization: await authorization() },
        );
        expect(rejected.status).toBe(401);
        expect(rejected.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
        expect(rejected.body).toEqual({
          errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }],
        });

        const next = await graph.post({ query: '{ user(id: "u2") { name } }' });
        expect(next.body).toEqual({ data: { user: { name: 'Grace' } } });
      },
    );
  });

  describe('request id and trace context', () => {
    const hops = '{ accountsHop { requestId traceparent } notesHop { requestId traceparent } }';

    it('forwards the client request id and continues its trace with a child span per subgraph call', async () => {
      const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const { headers, body } = await graph.post(
        { query: hops },
        { 'x-request-id': 'checkout-42', traceparent: incoming },
      );
      expect(headers.get('x-request-id')).toBe('checkout-42');
      const data = body.data as Record<
        'accountsHop' | 'notesHop',
        { requestId: string; traceparent: string }
      >;
      expect(data.accountsHop.requestId).toBe('checkout-42');
      expect(data.notesHop.requestId).toBe('checkout-42');
      const [, accountsTrace, accountsSpan] =
        W3C_TRACEPARENT.exec(data.accountsHop.traceparent) ?? [];
      const [, notesTrace, notesSpan] = W3C_TRACEPARENT.exec(data.notesHop.traceparent) ?? [];
      expect(accountsTrace).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(notesTrace).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(new Set([accountsSpan, notesSpan, '00f067aa0ba902b7']).size).toBe(3);
    });

    it('creates a request id and a trace when the client sends none', async () => {
      const { headers, body } = await graph.post({ query: hops });
      const requestId = headers.get('x-request-id');
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      const data = body.data as Record<
        'accountsHop' | 'notesHop',
        { requestId: string; traceparent: string }
      >;
      expect(data.accountsHop.requestId).toBe(requestId);
      expect(data.notesHop.requestId).toBe(requestId);
      const accountsTrace = W3C_TRACEPARENT.exec(data.accountsHop.traceparent)?.[1];
      expect(accountsTrace).toBeDefined();
      expect(W3C_TRACEPARENT.exec(data.notesHop.traceparent)?.[1]).toBe(accountsTrace);
    });

    it('tags every router log line of a request with its request id and trace', async () => {
      await graph.post(
        { query: '{ brokenNote }' },
        {
          'x-request-id': 'logged-request',
          traceparent: '00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01',
        },
      );
      const lines = graph.routerLogs.filter((line) => line.requestId === 'logged-request');
      expect(lines.map((line) => line.msg)).toEqual(
        expect.arrayContaining(['calling subgraph', 'served a GraphQL operation with errors']),
      );
      for (const line of lines) {
        expect(line.traceparent).toMatch(/^00-a{32}-[0-9a-f]{16}-01$/);
      }
    });
  });

  describe('errors and limits', () => {
    it('passes a subgraph error through with its code, message and details', async () => {
      const { body } = await graph.post({ query: '{ missingNote }' });
      expect(body).toEqual({
        data: { missingNote: null },
        errors: [
          {
            message: 'There is no note with id n-404.',
            path: ['missingNote'],
            extensions: { code: 'NOT_FOUND', noteId: 'n-404' },
          },
        ],
      });
    });

    it('hides unexpected subgraph failures and leaks no stack or internals', async () => {
      const { body } = await graph.post({ query: '{ brokenNote }' });
      expect(body.errors).toEqual([
        {
          message: 'Something went wrong on our side. Try again; if it persists, contact support.',
          path: ['brokenNote'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
      expect(JSON.stringify(body)).not.toMatch(/db-internal|stacktrace|at .*\.ts/);
    });

    it('rejects a query nested deeper than the limit', async () => {
      const deep = `{ user(id: "u1") { ${'bestFriend { '.repeat(15)}id${' }'.repeat(15)} } }`;
      const { status, body } = await graph.post({ query: deep }, GRAPHQL_RESPONSE);
      expect(status).toBe(400);
      expect(body.errors).toEqual([
        expect.objectContaining({
          message:
            'The operation nests fields 17 levels deep; the limit is 15. Split it into smaller queries.',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        }),
      ]);
    });

    it('accepts a query at the depth limit', async () => {
      const atLimit = `{ user(id: "u1") { ${'bestFriend { '.repeat(13)}id${' }'.repeat(13)} } }`;
      const { status, body } = await graph.post({ query: atLimit });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
    });

    it('rejects too many aliases', async () => {
      const aliased = `{ ${Array.from({ length: 6 }, (_, i) => `u${i}: user(id: "u1") { id }`).join(' ')} }`;
      const { status, body } = await graph.post({ query: aliased }, GRAPHQL_RESPONSE);
      expect(status).toBe(400);
      expect(body.errors?.[0]).toMatchObject({
        message:
          'The operation uses 6 aliases; the limit is 5. Ask for fewer aliased fields per request.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
    });

    it('answers a too-large or malformed body with a GraphQL error, not an HTML page', async () => {
      const large = await graph.post({ query: `{ whoAmI }`, padding: 'x'.repeat(1_100_000) });
      expect(large.status).toBe(413);
      expect(large.body.errors?.[0]).toMatchObject({
        message: 'The request body is larger than the limit of 1000000 bytes.',
        extensions: { code: 'BAD_REQUEST' },
      });

      const malformed = await graph.post('{"query": ');
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_REQUEST' });
    });
  });

  describe('pages', () => {
    it('serves /health', async () => {
      const response = await fetch(`${base}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    });

    it('serves our landing page at / and to browsers at /graphql', async () => {
      for (const path of ['/', '/graphql']) {
        const response = await fetch(`${base}${path}`, { headers: { accept: 'text/html' } });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/html/);
        const html = await response.text();
        expect(html).toContain('href="/graphiql"');
        expect(html).toContain(
          `https://studio.apollographql.com/sandbox/explorer?endpoint=${encodeURIComponent(graph.router.url)}`,
        );
      }
    });

    it('serves GraphiQL and its assets from node_modules, with nothing from a CDN', async () => {
      const html = await (await fetch(`${base}/graphiql`)).text();
      const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
      expect(sources).toEqual([
        '/graphiql/assets/graphiql.css',
        '/graphiql/assets/react.js',
        '/graphiql/assets/react-dom.js',
        '/graphiql/assets/graphiql.js',
        '/graphiql/assets/graphql-ws.js',
      ]);
      for (const source of sources) {
        const response = await fetch(`${base}${source}`);
        expect(response.status).toBe(200);
        expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      }
      expect((await fetch(`${base}/graphiql/assets/..%2Fpackage.json`)).status).toBe(404);
    });
  });
});

describe('readiness and shutdown', () => {
  it('is ready only while every subgraph answers', async () => {
    const graph = await startTestGraph();
    const base = new URL(graph.router.url).origin;
    try {
      const ready = await fetch(`${base}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        status: 'ready',
        subgraphs: { accounts: { status: 'up' }, notes: { status: 'up' } },
      });

      await graph.subgraphs.notes.stop();
      const notReady = await fetch(`${base}/ready`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({
        status: 'unavailable',
        subgraphs: {
          accounts: { status: 'up' },
          notes: { status: 'down', reason: expect.stringContaining('ECONNREFUSED') },
        },
      });
      expect((await fetch(`${base}/health`)).status).toBe(200);

      const { body } = await graph.post(
        { query: '{ notesHop { requestId } }' },
        { 'x-request-id': 'while-notes-is-down' },
      );
      expect(body.errors).toEqual([
        expect.objectContaining({
          message: 'The notes service is unavailable (it cannot be reached); try again shortly.',
          extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
        }),
      ]);
      expect(JSON.stringify(body)).not.toContain('ECONNREFUSED');
      expect(graph.routerLogs).toContainEqual(
        expect.objectContaining({
          requestId: 'while-notes-is-down',
          msg: 'served a GraphQL operation with errors',
          codes: ['SUBGRAPH_UNAVAILABLE'],
        }),
      );
    } finally {
      await graph.router.stop();
      await graph.subgraphs.accounts.stop();
    }
  });

  it('lets an in-flight request finish when stopped, then refuses connections', async () => {
    const graph = await startTestGraph();
    const inFlight = graph.post({ query: '{ slowNote(ms: 300) }' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await graph.stop();
    const { status, body } = await inFlight;
    expect(status).toBe(200);
    expect(body).toEqual({ data: { slowNote: 'waited 300 ms' } });
    await expect(fetch(graph.router.url)).rejects.toThrow();
  });
});
