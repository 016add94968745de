import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serverAudits } from 'graphql-http';
import { startTestGraph, type GraphQLBody, type TestGraph } from './support/test-graph.js';

/**
 * The GraphQL-over-HTTP spec, rule by rule, against the router over real HTTP.
 * The rules come from graphql-http's audit suite; those it leaves as TODO
 * (methods, Accept precedence, GET encoding) are written out below it.
 */
let graph: TestGraph;
let url: string;

beforeAll(async () => {
  graph = await startTestGraph({ introspection: true });
  url = graph.router.url;
});
afterAll(async () => {
  await graph.stop();
});

/**
 * What every non-browser client does to pass CSRF prevention: the audits send
 * plain GETs, which a browser could send from another site, so they carry the
 * preflight header like any real client (CSRF is tested on its own below).
 */
const withPreflightHeader = (input: string | URL | Request, init: RequestInit = {}) =>
  fetch(input, {
    ...init,
    headers: { 'apollo-require-preflight': 'true', ...(init.headers as Record<string, string>) },
  });

const get = (params: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${url}?${new URLSearchParams(params).toString()}`, {
    headers: { 'apollo-require-preflight': 'true', ...headers },
  });

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const bodyOf = async (response: Response) => (await response.json()) as GraphQLBody;

describe('GraphQL over HTTP: the graphql-http audit suite', () => {
  for (const audit of serverAudits({ url: () => url, fetchFn: withPreflightHeader })) {
    it(`${audit.name} (${audit.id})`, async () => {
      const result = await audit.fn();
      expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
    });
  }
});

describe('GraphQL over HTTP: rules the audit suite does not cover', () => {
  it('MUST answer a mutation sent over GET with 405 and an Allow header naming POST', async () => {
    const response = await get({ query: 'mutation { __typename }' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('MUST read urlencoded JSON {variables} and {extensions} from a GET', async () => {
    const response = await get(
      {
        query: 'query Who($id: ID!) { user(id: $id) { name } }',
        operationName: 'Who',
        variables: JSON.stringify({ id: 'u2' }),
        extensions: JSON.stringify({ clientLibrary: 'audit' }),
      },
      { accept: 'application/graphql-response+json' },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect(await bodyOf(response)).toEqual({ data: { user: { name: 'Grace' } } });
  });

  it('SHOULD answer the media type the client prefers by q-value, not by order', async () => {
    const modern = await post(
      { query: '{ __typename }' },
      { accept: 'application/json;q=0.9, application/graphql-response+json' },
    );
    expect(modern.headers.get('content-type')).toBe(
      'application/graphql-response+json; charset=utf-8',
    );
    const legacy = await post(
      { query: '{ __typename }' },
      { accept: 'application/graphql-response+json;q=0.5, application/json' },
    );
    expect(legacy.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('MAY answer 406 to an Accept that allows neither type, with a stable code', async () => {
    const response = await post({ query: '{ slowNote(ms: 1) }' }, { accept: 'text/csv' });
    expect(response.status).toBe(406);
    expect(await bodyOf(response)).toEqual({
      errors: [
        {
          message: expect.stringContaining('application/graphql-response+json'),
          extensions: { code: 'NOT_ACCEPTABLE' },
        },
      ],
    });
  });

  it('SHOULD use 200 on a limit refusal when accepting application/json, 400 when accepting application/graphql-response+json', async () => {
    const deep = `{ user(id: "u1") { ${'bestFriend { '.repeat(20)}id${' }'.repeat(20)} } }`;
    const legacy = await post({ query: deep }, { accept: 'application/json' });
    const modern = await post({ query: deep }, { accept: 'application/graphql-response+json' });
    expect([legacy.status, modern.status]).toEqual([200, 400]);
    const [legacyBody, modernBody] = [await bodyOf(legacy), await bodyOf(modern)];
    expect(legacyBody).toEqual(modernBody);
    expect(legacyBody.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('SHOULD keep 401 for a rejected token whatever the media type', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const response = await post({ query: '{ whoAmI }' }, { accept, authorization: 'Bearer x' });
      expect(response.status).toBe(401);
    }
  });

  it('MUST keep 400 for a request that is not a GraphQL request, whatever the media type', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const response = await post({ querry: '{ __typename }' }, { accept });
      expect(response.status).toBe(400);
      expect((await bodyOf(response)).errors?.[0]?.extensions).toEqual({ code: 'BAD_REQUEST' });
    }
  });
});
