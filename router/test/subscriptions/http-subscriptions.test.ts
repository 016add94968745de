import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { createClient, type Client } from 'graphql-sse';
import {
  MultipartTransportError,
  multipartClient,
  type MultipartRefused,
} from '../../../tests/support/multipart-client.js';
import { subscribeLive } from '../../../tests/support/live-subscription.js';
import { startSubscriptionGraph, type SubscriptionGraph } from './subscription-graph.js';

interface Tick {
  ticks: { symbol: string; instrument: { name: string } };
}
interface MyTick {
  myTicks: { subscriber: string };
}

const TOKEN_HEADER = 'x-graphql-event-stream-token';
const TICKS = (symbol: string) =>
  `subscription { ticks(symbols: ["${symbol}"], intervalMs: 20) { symbol instrument { name } } }`;
const MY_TICKS = 'subscription { myTicks(symbols: ["ETH"], intervalMs: 20) { subscriber } }';

describe('subscriptions over HTTP: graphql-sse single connection mode and multipart', () => {
  let graph: SubscriptionGraph;
  const clients: Client<true>[] = [];

  const sseClient = (headers: Record<string, string> = {}) => {
    const created = createClient({
      url: graph.router.url,
      singleConnection: true,
      retryAttempts: 0,
      headers,
    });
    clients.push(created);
    return created;
  };

  /** A reservation made by hand, as a client other than graphql-sse's would. */
  const reserve = async (headers: Record<string, string> = {}) => {
    const response = await fetch(graph.router.url, { method: 'PUT', headers });
    expect(response.status).toBe(201);
    return response.text();
  };

  const openStream = (token: string, headers: Record<string, string> = {}) =>
    fetch(graph.router.url, {
      headers: { accept: 'text/event-stream', [TOKEN_HEADER]: token, ...headers },
    });

  const postOperation = (token: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(graph.router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token, ...headers },
      body: JSON.stringify(body),
    });

  const codeOf = async (response: Response) =>
    ((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]
      ?.extensions.code;

  beforeAll(async () => {
    graph = await startSubscriptionGraph();
  });
  afterAll(async () => {
    for (const created of clients) created.dispose();
    await graph.stop();
  });

  describe('graphql-sse, single connection mode', () => {
    it('streams several operations over one connection, completed by another subgraph', async () => {
      const client = sseClient();
      const btc = subscribeLive<Tick>(client, TICKS('BTC'));
      const eth = subscribeLive<Tick>(client, TICKS('ETH'));
      const [btcTicks, ethTicks] = await Promise.all([btc.received(2), eth.received(2)]);
      expect(btcTicks).toEqual([
        { ticks: { symbol: 'BTC', instrument: { name: 'BTC Corp' } } },
        { ticks: { symbol: 'BTC', instrument: { name: 'BTC Corp' } } },
      ]);
      expect(ethTicks[0]).toEqual({ ticks: { symbol: 'ETH', instrument: { name: 'ETH Corp' } } });
      expect(graph.router.subscriptions.stats()).toMatchObject({
        connections: 1,
        subscriptions: 2,
      });

      btc.stop();
      while (graph.router.subscriptions.stats().subscriptions > 1) await sleep(10);
      const count = eth.events.length;
      await eth.received(count + 1);
      eth.stop();
    });

    it('forwards the caller who reserved the stream, and refuses a private stream to nobody', async () => {
      const token = await graph.tokenFor('alice');
      const alices = subscribeLive<MyTick>(
        sseClient({ authorization: `Bearer ${token}` }),
        MY_TICKS,
      );
      expect(await alices.received(1)).toEqual([{ myTicks: { subscriber: 'alice' } }]);
      alices.stop();

      const anonymous = subscribeLive<MyTick>(sseClient(), MY_TICKS);
      expect(await anonymous.failure).toEqual([
        expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } }),
      ]);
    });

    it('answers each mistake on its own request and keeps the stream serving', async () => {
      const token = await reserve();
      expect(
        await codeOf(
          await postOperation(token, { query: TICKS('SOL'), extensions: { operationId: 'a' } }),
        ),
      ).toBe('CONFLICT'); // the stream is not open yet

      const stream = await openStream(token);
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(await codeOf(await openStream(token))).toBe('CONFLICT');
      expect(await codeOf(await openStream('no-such-token'))).toBe('NOT_FOUND');

      expect(
        (await postOperation(token, { query: 42, extensions: { operationId: 'a' } })).status,
      ).toBe(400);
      expect(await codeOf(await postOperation(token, { query: TICKS('SOL') }))).toBe('BAD_REQUEST');
      const bob = await graph.tokenFor('bob');
      expect(
        await codeOf(
          await postOperation(
            token,
            { query: TICKS('SOL'), extensions: { operationId: 'a' } },
            { authorization: `Bearer ${bob}` },
          ),
        ),
      ).toBe('FORBIDDEN');

      const started = await postOperation(token, {
        query: TICKS('SOL'),
        extensions: { operationId: 'a' },
      });
      expect(started.status).toBe(202);
      expect(
        await codeOf(
          await postOperation(token, { query: TICKS('SOL'), extensions: { operationId: 'a' } }),
        ),
      ).toBe('CONFLICT');
      const invalid = await postOperation(token, {
        query: 'subscription { nope }',
        extensions: { operationId: 'b' },
      });
      expect(invalid.status).toBe(202);

      const reader = stream.body!.getReader();
      let text = '';
      while (!text.includes('"id":"b"') || !text.includes('"id":"a","payload":{"data"')) {
        text += new TextDecoder().decode((await reader.read()).value);
      }
      expect(text).toContain(
        'event: next\ndata: {"id":"a","payload":{"data":{"ticks":{"symbol":"SOL","instrument":{"name":"SOL Corp"}}}}}\n\n',
      );
      expect(text).toContain('event: next\ndata: {"id":"b","payload":{"errors":[{"message":');
      expect(text).toContain('"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}}\n\n');
      expect(text).toContain('event: complete\ndata: {"id":"b"}\n\n');

      const stop = await fetch(`${graph.router.url}?operationId=a`, {
        method: 'DELETE',
        headers: { [TOKEN_HEADER]: token },
      });
      expect(stop.status).toBe(200);
      while (graph.router.subscriptions.stats().subscriptions > 0) await sleep(10);
      await reader.cancel();
    });

    it('refuses new reservations while too many wait for their stream', async () => {
      const limited = await startSubscriptionGraph({ limits: { maxPendingReservations: 1 } });
      try {
        expect((await fetch(limited.router.url, { method: 'PUT' })).status).toBe(201);
        const refused = await fetch(limited.router.url, { method: 'PUT' });
        expect(refused.status).toBe(503);
        expect(refused.headers.get('retry-after')).toBe('5');
        expect(await codeOf(refused)).toBe('SERVICE_UNAVAILABLE');
      } finally {
        await limited.stop();
      }
    });

    it('drops a reservation nobody opens, freeing its place', async () => {
      const limited = await startSubscriptionGraph({
        limits: { maxPendingReservations: 1, reservationTimeoutMs: 50 },
      });
      try {
        const reserveOn = () => fetch(limited.router.url, { method: 'PUT' });
        const first = await (await reserveOn()).text();
        // Refused while the first waits; accepted once it has expired.
        while ((await reserveOn()).status === 503) await sleep(25);
        const expired = await fetch(limited.router.url, {
          headers: { accept: 'text/event-stream', [TOKEN_HEADER]: first },
        });
        expect(expired.status).toBe(404);
        expect(await codeOf(expired)).toBe('NOT_FOUND');
      } finally {
        await limited.stop();
      }
    });

    it('refuses a reservation with a bad token with HTTP 401', async () => {
      const response = await fetch(graph.router.url, {
        method: 'PUT',
        headers: { authorization: 'Bearer not-a-jwt' },
      });
      expect(response.status).toBe(401);
      expect(await codeOf(response)).toBe('UNAUTHENTICATED');
    });
  });

  describe('multipart HTTP subscriptions (Apollo)', () => {
    it('streams a public subscription as payload parts, completed by another subgraph', async () => {
      const live = subscribeLive<Tick>(multipartClient(graph.router.url), TICKS('ADA'));
      expect(await live.received(2)).toEqual([
        { ticks: { symbol: 'ADA', instrument: { name: 'ADA Corp' } } },
        { ticks: { symbol: 'ADA', instrument: { name: 'ADA Corp' } } },
      ]);
      live.stop();
      while (graph.router.subscriptions.stats().subscriptions > 0) await sleep(10);
    });

    it('serves Apollo Client’s own HttpLink, with the caller of its token', async () => {
      const token = await graph.tokenFor('erin');
      const apollo = new ApolloClient({
        link: new HttpLink({
          uri: graph.router.url,
          headers: { authorization: `Bearer ${token}` },
        }),
        cache: new InMemoryCache(),
      });
      const subscribe = (query: string, count: number) =>
        new Promise<unknown[]>((resolve, reject) => {
          const seen: unknown[] = [];
          const subscription = apollo.subscribe({ query: gql(query) }).subscribe({
            next: (result) => {
              if (result.error) return reject(result.error);
              seen.push(result.data);
              if (seen.length < count) return;
              subscription.unsubscribe();
              resolve(seen);
            },
            error: reject,
          });
        });
      expect(
        await subscribe(
          'subscription { ticks(symbols: ["DOT"], intervalMs: 20) { symbol instrument { name } } }',
          2,
        ),
      ).toEqual([
        {
          ticks: {
            __typename: 'Tick',
            symbol: 'DOT',
            instrument: { __typename: 'Instrument', name: 'DOT Corp' },
          },
        },
        {
          ticks: {
            __typename: 'Tick',
            symbol: 'DOT',
            instrument: { __typename: 'Instrument', name: 'DOT Corp' },
          },
        },
      ]);
      expect(await subscribe(MY_TICKS, 1)).toEqual([
        { myTicks: { __typename: 'Tick', subscriber: 'erin' } },
      ]);
      apollo.stop();
    });

    it('writes the parts as Apollo Client reads them, and ends with the closing boundary', async () => {
      const response = await fetch(graph.router.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json',
        },
        body: JSON.stringify({ query: '{ ping }' }),
      });
      expect(response.headers.get('content-type')).toBe(
        'multipart/mixed; boundary="graphql"; subscriptionSpec="1.0"',
      );
      expect(await response.text()).toBe(
        '\r\n--graphql\r\n' +
          'content-type: application/json; charset=utf-8\r\n\r\n{"payload":{"data":{"ping":"pong"}}}\r\n--graphql\r\n' +
          'content-type: application/json; charset=utf-8\r\n\r\n{}\r\n--graphql--\r\n',
      );
    });

    it('sends {} heartbeats while nothing happens', async () => {
      const quick = await startSubscriptionGraph({ limits: { httpHeartbeatMs: 20 } });
      const controller = new AbortController();
      try {
        const response = await fetch(quick.router.url, {
          method: 'POST',
          signal: controller.signal,
          headers: {
            'content-type': 'application/json',
            accept: 'multipart/mixed;subscriptionSpec=1.0',
          },
          // One tick a minute: what arrives before is heartbeats.
          body: JSON.stringify({
            query: 'subscription { ticks(symbols: ["IDLE"], intervalMs: 60000) { seq } }',
          }),
        });
        const reader = response.body!.getReader();
        let text = '';
        const heartbeat =
          'content-type: application/json; charset=utf-8\r\n\r\n{}\r\n--graphql\r\n';
        while (text.split(heartbeat).length < 3) {
          text += new TextDecoder().decode((await reader.read()).value);
        }
        expect(text.startsWith('\r\n--graphql\r\n')).toBe(true);
      } finally {
        controller.abort();
        await quick.stop();
      }
    });

    it('forwards the caller of the bearer token and gives nobody private events', async () => {
      const token = await graph.tokenFor('carol');
      const carols = subscribeLive<MyTick>(
        multipartClient(graph.router.url, { authorization: `Bearer ${token}` }),
        MY_TICKS,
      );
      expect(await carols.received(1)).toEqual([{ myTicks: { subscriber: 'carol' } }]);
      carols.stop();

      const anonymous = subscribeLive<MyTick>(multipartClient(graph.router.url), MY_TICKS);
      expect(await anonymous.failure).toEqual([
        expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } }),
      ]);
    });

    it('ends the stream with a transport error when the caller’s token expires', async () => {
      const expiringSoon = await graph.tokenFor('dave', new Date(Date.now() - 599_000));
      const daves = subscribeLive<MyTick>(
        multipartClient(graph.router.url, { authorization: `Bearer ${expiringSoon}` }),
        MY_TICKS,
      );
      const failure = (await daves.failure) as MultipartTransportError;
      expect(failure).toBeInstanceOf(MultipartTransportError);
      expect(failure.errors).toEqual([
        {
          message: 'Your session has expired; sign in again.',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ]);
    });

    it('refuses a bad token with 401 and a body that is not GraphQL with 400, before streaming', async () => {
      const forged = subscribeLive<MyTick>(
        multipartClient(graph.router.url, { authorization: 'Bearer forged' }),
        MY_TICKS,
      );
      const refusal = (await forged.failure) as MultipartRefused;
      expect(refusal.status).toBe(401);
      expect(refusal.body).toContain('"code":"UNAUTHENTICATED"');

      const notGraphQL = await fetch(graph.router.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'multipart/mixed;subscriptionSpec="1.0"',
        },
        body: JSON.stringify({ query: 7 }),
      });
      expect(notGraphQL.status).toBe(400);
      expect(await codeOf(notGraphQL)).toBe('BAD_REQUEST');
    });
  });
});
