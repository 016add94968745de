import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestGraph, type GraphQLBody, type TestGraph } from './support/test-graph.js';

const bodyOf = async (response: Response) => (await response.json()) as GraphQLBody;

describe('CSRF prevention', () => {
  let graph: TestGraph;
  let url: string;

  beforeAll(async () => {
    graph = await startTestGraph();
    url = graph.router.url;
  });
  afterAll(async () => {
    await graph.stop();
  });

  const refusedAsForgery = async (response: Response) => {
    expect(response.status).toBe(400);
    const body = await bodyOf(response);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'CSRF_PREVENTED' });
    expect(body.errors?.[0]?.message).toMatch(/apollo-require-preflight/);
  };

  it('refuses a GET that a browser could send from another site', async () => {
    await refusedAsForgery(await fetch(`${url}?query=${encodeURIComponent('{ whoAmI }')}`));
    await refusedAsForgery(
      await fetch(`${url}?query=${encodeURIComponent('{ whoAmI }')}`, {
        headers: { 'apollo-require-preflight': '' },
      }),
    );
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'refuses a POST with the simple content type %s',
    async (contentType) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: JSON.stringify({ query: '{ whoAmI }' }),
      });
      await refusedAsForgery(response);
    },
  );

  it.each(['apollo-require-preflight', 'x-apollo-operation-name'])(
    'serves a GET that carries a non-empty %s header',
    async (header) => {
      const response = await fetch(`${url}?query=${encodeURIComponent('{ whoAmI }')}`, {
        headers: { [header]: 'Who' },
      });
      expect(response.status).toBe(200);
      expect(await bodyOf(response)).toEqual({ data: { whoAmI: null } });
    },
  );

  it('serves a POST with a content type a browser must ask before sending', async () => {
    const { status, body } = await graph.post({ query: '{ whoAmI }' });
    expect([status, body]).toEqual([200, { data: { whoAmI: null } }]);
  });

  it('refuses a GET whose Accept would let it run, even one that names HTML', async () => {
    const query = `?query=${encodeURIComponent('{ whoAmI }')}`;
    for (const accept of ['application/graphql-response+json, text/html', 'text/html']) {
      await refusedAsForgery(await fetch(`${url}${query}`, { headers: { accept } }));
    }
  });

  it('still serves the landing page to a browser that asks for HTML', async () => {
    const response = await fetch(url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });
});

describe('introspection', () => {
  const introspection = '{ __schema { queryType { name } } }';
  const typeQuery = '{ __type(name: "User") { name } }';

  it('is answered when allowed', async () => {
    const graph = await startTestGraph({ introspection: true });
    try {
      const { status, body } = await graph.post({ query: introspection });
      expect([status, body]).toEqual([
        200,
        { data: { __schema: { queryType: { name: 'Query' } } } },
      ]);
    } finally {
      await graph.stop();
    }
  });

  it('is refused with INTROSPECTION_DISABLED when turned off, also when sent by its persisted query hash', async () => {
    const graph = await startTestGraph({ introspection: false });
    try {
      const refusal = {
        errors: [
          {
            message:
              'Introspection is turned off on this server. Use the published schema instead.',
            extensions: { code: 'INTROSPECTION_DISABLED' },
          },
        ],
      };
      for (const query of [
        introspection,
        typeQuery,
        'query { ...F } fragment F on Query { __schema { description } }',
      ]) {
        const { status, body } = await graph.post(
          { query },
          { accept: 'application/graphql-response+json' },
        );
        expect([status, body]).toEqual([400, refusal]);
      }

      const sha256Hash = createHash('sha256').update(introspection).digest('hex');
      const persistedQuery = { version: 1, sha256Hash };
      await graph.post({ query: introspection, extensions: { persistedQuery } });
      const byHash = await graph.post({ extensions: { persistedQuery } });
      // Sent by its hash alone, the registered text is judged like any other.
      expect(byHash.body.errors?.[0]?.extensions).toEqual({ code: 'INTROSPECTION_DISABLED' });

      const ordinary = await graph.post({ query: '{ user(id: "u1") { __typename name } }' });
      expect(ordinary.body).toEqual({ data: { user: { __typename: 'User', name: 'Ada' } } });
    } finally {
      await graph.stop();
    }
  });
});
