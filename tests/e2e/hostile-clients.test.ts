import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { DEMO_USERS } from '@simple-securities/core-subgraph';
import { DEVELOPMENT_SECRETS, issueAccessToken } from '@simple-securities/service-kit';
import { startTestStack, type TestStack } from '../support/running-stack.js';
import { OPCODE, clientFrame, openRawWebSocket, textFrame } from '../support/raw-websocket.js';
import { startWellBehavedClient, type WellBehavedClient } from '../support/well-behaved-client.js';

// Each finding of the hostile-client probe (issue 14), reproduced against the
// whole stack; after each, a well-behaved client on another connection must
// have seen no gap.

interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

/** The first result of one operation over graphql-ws. */
const firstResult = (
  client: Client,
  query: string,
): Promise<{ data?: unknown; errors?: readonly GraphQLError[] }> =>
  new Promise((resolve, reject) => {
    const unsubscribe = client.subscribe(
      { query },
      {
        next: (result) => {
          unsubscribe();
          resolve(result as never);
        },
        error: (error) =>
          Array.isArray(error) ? resolve({ errors: error as GraphQLError[] }) : reject(error),
        complete: () => undefined,
      },
    );
  });

describe('a hostile client', () => {
  let stack: TestStack;
  let bystander: WellBehavedClient;
  const clients: Client[] = [];
  const connect = (url: string, connectionParams: Record<string, unknown> = {}) => {
    const client = createClient({
      url: wsUrl(url),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams,
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    stack = await startTestStack();
    bystander = await startWellBehavedClient(stack.router.url);
  }, 180_000);

  // Nothing interrupted the bystander's connection, and the stack still serves.
  afterEach(() => bystander.assertUndisturbed(), 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await bystander?.stop();
    await stack?.close();
  }, 60_000);

  describe('on the router WebSocket', () => {
    it('sending one text frame over 256 KiB is closed with 1009, alone', async () => {
      const socket = await openRawWebSocket(stack.router.url);
      socket.write(textFrame('{"type":"connection_init"}'));
      socket.write(textFrame('x'.repeat(300 * 1024)));
      expect(await socket.closed).toBe(1009);
    });

    it('claiming a huge frame in its header is closed with 1009 before sending it', async () => {
      const socket = await openRawWebSocket(stack.router.url);
      socket.write(textFrame('{"type":"connection_init"}'));
      socket.write(clientFrame(OPCODE.text, Buffer.alloc(0), { declaredLength: 2 ** 40 }));
      expect(await socket.closed).toBe(1009);
    });

    it('sending invalid UTF-8 is closed with 1007, alone', async () => {
      const socket = await openRawWebSocket(stack.router.url);
      socket.write(textFrame('{"type":"connection_init"}'));
      socket.write(clientFrame(OPCODE.text, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])));
      expect(await socket.closed).toBe(1007);
    });

    it('upgrading on another path gets 404', async () => {
      await expect(
        openRawWebSocket(stack.router.url.replace('/graphql', '/elsewhere')),
      ).rejects.toThrow(/404/);
    });

    it('subscribing with 500 aliases gets GRAPHQL_VALIDATION_FAILED', async () => {
      const client = connect(stack.router.url);
      const fields = Array.from({ length: 500 }, (_, i) => `a${i}: symbol`).join(' ');
      const result = await firstResult(
        client,
        `subscription { priceTicks(symbols: ["BTC-USDT"]) { ${fields} } }`,
      );
      expect(result.errors?.[0]).toMatchObject({
        message: expect.stringContaining('uses 500 aliases; the limit is 30'),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
    });

    it('asking for a 101st subscription on one socket gets the documented error', async () => {
      const socket = await openRawWebSocket(stack.router.url);
      socket.write(textFrame('{"type":"connection_init"}'));
      const subscribe = (id: string) =>
        textFrame(
          JSON.stringify({
            id,
            type: 'subscribe',
            payload: { query: 'subscription { priceTicks(symbols: ["BTC-USDT"]) { price } }' },
          }),
        );
      for (let i = 1; i <= 101; i++) socket.write(subscribe(`s${i}`));
      for (let attempt = 0; attempt < 2_000; attempt++) {
        if (socket.messages.some((message) => message.includes('"id":"s101"'))) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const answer = socket.messages
        .map((message) => JSON.parse(message) as { id?: string; type: string; payload?: unknown })
        .find((message) => message.id === 's101');
      expect(answer).toEqual({
        id: 's101',
        type: 'error',
        payload: [
          {
            message:
              'A connection may hold at most 100 subscriptions; complete some or open another connection.',
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      });
      socket.reset();
    }, 180_000);
  });

  describe('over HTTP', () => {
    it('with a token signed by the development secret is refused', async () => {
      const { token } = await issueAccessToken(
        { userId: DEMO_USERS[2].id, roles: ['ADMIN'], permissions: [] },
        { secret: DEVELOPMENT_SECRETS.JWT_SECRET, ttlSeconds: 600 },
      );
      const { status, body } = await stack.graphql('{ me { email } }', { token });
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('sending 30 aliases of 1,000 candles each is refused before any work', async () => {
      const aliases = Array.from(
        { length: 30 },
        (_, i) =>
          `p${i}: cryptoPairs { klines(interval: "1s", limit: 1000) { open high low close volume openTime closeTime } }`,
      ).join(' ');
      const { status, body } = await stack.graphql(`{ ${aliases} }`);
      expect(status).toBe(400);
      expect(body.errors?.[0]).toMatchObject({
        message: expect.stringContaining('list sizes multiplied out'),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
    });

    it('naming an operation the document lacks gets 400', async () => {
      const response = await fetch(stack.router.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
        },
        body: JSON.stringify({ query: 'query A { serverTime }', operationName: 'B' }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: 'The document has no operation named "B".',
            extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
          },
        ],
      });
    });

    it('sending several operations without choosing one gets 400', async () => {
      const { status, body } = await stack.graphql('query A { serverTime } query B { serverTime }');
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('OPERATION_RESOLUTION_FAILURE');
    });

    it('sending a DateTime literal that is not one gets a client error, not an internal one', async () => {
      const { body } = await stack.graphql(
        '{ klines(symbol: "BTC-USDT", interval: "1m", from: "yesterday-ish") { open } }',
      );
      expect(body.errors?.[0]?.extensions?.code).toMatch(
        /^(BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED)$/,
      );
      expect(body.errors?.[0]?.message).toContain('DateTime');
    });

    it('sending a 900 KB symbol gets it back cut short, once', async () => {
      const symbol = 'X'.repeat(900_000);
      const response = await fetch(stack.router.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ ticker(symbol: "${symbol}") { price } }` }),
      });
      const text = await response.text();
      expect(text.length).toBeLessThan(2_000);
      const [error] = (JSON.parse(text) as { errors: GraphQLError[] }).errors;
      expect(error?.extensions?.code).toMatch(/^(BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED)$/);
    });

    it('signing up with the email as password, or an invisible character in the name, is refused', async () => {
      const signUp = (input: Record<string, string>) =>
        stack.graphql('mutation ($input: SignUpInput!) { signUp(input: $input) { token } }', {
          variables: { input },
        });
      const sameAsEmail = await signUp({
        email: 'mallory@example.com',
        password: 'mallory@example.com',
        displayName: 'Mallory',
      });
      expect(sameAsEmail.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const spoofedName = await signUp({
        email: 'mallory@example.com',
        password: 'mallory-password-1',
        displayName: 'admin\u202Enimda',
      });
      expect(spoofedName.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  it('leaves the bystander receiving prices throughout', async () => {
    await bystander.nextEvents(3);
  }, 300_000);

  describe('calling a subgraph directly', () => {
    const staticHeaders = () => ({
      'x-internal-token': 'e2e-test-internal-token',
      'x-caller-id': DEMO_USERS[0].id,
      'x-caller-roles': 'ADMIN',
    });

    it('with the internal token as plain headers acts as nobody', async () => {
      const response = await fetch(stack.subgraphs.core.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...staticHeaders() },
        body: JSON.stringify({ query: '{ me { email roles } }' }),
      });
      const body = (await response.json()) as { errors?: GraphQLError[] };
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('with the internal token in graphql-ws connectionParams acts as nobody', async () => {
      // Crypto serves graphql-ws; a user's orders need that user as the caller.
      const client = connect(stack.subgraphs.crypto.url, staticHeaders());
      const result = await firstResult(
        client,
        `{ _entities(representations: [{ __typename: "User", id: "${DEMO_USERS[0].id}" }]) {
          ... on User { cryptoOrders { edges { node { id } } } } } }`,
      );
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('sending a 20 MB WebSocket frame is closed with 1009', async () => {
      const socket = await openRawWebSocket(stack.subgraphs.crypto.url);
      socket.write(clientFrame(OPCODE.text, Buffer.alloc(0), { declaredLength: 20 * 1024 * 1024 }));
      expect(await socket.closed).toBe(1009);
    });
  });
});
