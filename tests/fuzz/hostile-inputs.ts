import http from 'node:http';
import fc from 'fast-check';
import { OPCODE, clientFrame, textFrame } from '../support/raw-websocket.js';

// Generators of what a hostile client sends: HTTP requests to /graphql, and
// WebSocket frames to the same path. Shared by the property tests and the
// 10,000-of-each soak in hostile-traffic.test.ts.

const FIELDS = [
  'cryptoPairs',
  'stocks',
  'klines',
  'ticker',
  'me',
  'serverTime',
  'assets',
  'priceTicks',
];
const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  '$',
  '...',
  '@',
  '!',
  '=',
  ',',
  '|',
  '&',
  'query',
  'mutation',
  'subscription',
  'fragment',
  'on',
  'F',
  'Q',
  'x',
  'a:',
  'b:',
  ...FIELDS,
  'symbol',
  'price',
  'interval',
  'limit',
  'first',
  'open',
  'close',
  'base',
  'pair',
  '__typename',
  '__schema',
  '__type(name: "Query")',
  'types',
  'fields',
  'name',
  '"BTC-USDT"',
  '"1m"',
  '"1s"',
  '1000',
  '-1',
  '2147483648',
  '1e400',
  '0.5',
  'null',
  'true',
  '"\\u0000"',
  '"\\uD800"',
  '"""block"""',
  '#comment\n',
  '@skip(if: true)',
  '@include(if: $x)',
];

/** Token soup, mostly unparsable, sometimes a real query. */
const documentSoup = fc
  .array(fc.constantFrom(...TOKENS), { maxLength: 80 })
  .map((tokens) => tokens.join(' '));

/** Well-formed operations with hostile arguments. */
const shapedDocument = fc.oneof(
  fc
    .record({
      limit: fc.oneof(fc.integer(), fc.constant(1000), fc.constant(0)),
      interval: fc.oneof(fc.constantFrom('1s', '1m', '1h', '1d'), fc.string({ maxLength: 20 })),
      aliases: fc.integer({ min: 1, max: 60 }),
    })
    .map(
      ({ limit, interval, aliases }) =>
        `{ ${Array.from(
          { length: aliases },
          (_, i) =>
            `k${i}: klines(symbol: "BTC-USDT", interval: ${JSON.stringify(interval)}, limit: ${limit}) { open close }`,
        ).join(' ')} }`,
    ),
  fc
    .record({ depth: fc.integer({ min: 1, max: 40 }), field: fc.constantFrom('pair', 'base') })
    .map(
      ({ depth, field }) =>
        `{ cryptoPairs { ${`${field} { `.repeat(depth)}name${' }'.repeat(depth)} } }`,
    ),
  fc
    .string({ maxLength: 3000 })
    .map((symbol) => `{ ticker(symbol: ${JSON.stringify(symbol)}) { price } }`),
  fc
    .string({ maxLength: 50 })
    .map(
      (from) =>
        `{ klines(symbol: "BTC-USDT", interval: "1m", from: ${JSON.stringify(from)}) { open } }`,
    ),
  fc
    .integer({ min: 1, max: 12 })
    .map(
      (n) =>
        `{ cryptoPairs { ...F0 } } ${Array.from({ length: n }, (_, i) => `fragment F${i} on CryptoPair { name ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F${n} on CryptoPair { name }`,
    ),
);

const VARIABLE_QUERY =
  'query Q($s: String!, $i: String!, $l: Int, $f: DateTime, $ids: [String!]) { klines(symbol: $s, interval: $i, limit: $l, from: $f) { open } cryptoPairs { name } x: ticker(symbol: $s) { price } }';

/** One hostile HTTP request to the GraphQL path. */
export interface HostileRequest {
  readonly method: 'GET' | 'POST';
  readonly contentType: string;
  /** POST body, or the query string for GET. */
  readonly body: string;
}

const json = (value: unknown) => JSON.stringify(value);

export const hostileRequest: fc.Arbitrary<HostileRequest> = fc.oneof(
  fc
    .record({
      query: fc.oneof(documentSoup, shapedDocument),
      operationName: fc.option(
        fc.oneof(fc.constantFrom('Q', 'F', ''), fc.string({ maxLength: 30 })),
        { nil: undefined },
      ),
    })
    .map(({ query, operationName }) => ({
      method: 'POST' as const,
      contentType: 'application/json',
      body: json({ query, ...(operationName === undefined ? {} : { operationName }) }),
    })),
  fc
    .record({
      s: fc.oneof(fc.constant('BTC-USDT'), fc.jsonValue()),
      i: fc.oneof(fc.constant('1m'), fc.jsonValue()),
      l: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
      f: fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.jsonValue()),
      extra: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }), {
        maxKeys: 5,
      }),
    })
    .map(({ extra, ...variables }) => ({
      method: 'POST' as const,
      contentType: 'application/json',
      body: json({ query: VARIABLE_QUERY, variables: { ...extra, ...variables } }),
    })),
  fc.jsonValue({ maxDepth: 6 }).map((value) => ({
    method: 'POST' as const,
    contentType: 'application/json',
    body: json(value),
  })),
  fc
    .record({
      text: fc.string({ maxLength: 400 }),
      contentType: fc.constantFrom('application/json', 'text/plain', 'application/graphql', ''),
    })
    .map(({ text, contentType }) => ({ method: 'POST' as const, contentType, body: text })),
  fc.integer({ min: 1, max: 5000 }).map((depth) => ({
    method: 'POST' as const,
    contentType: 'application/json',
    body: `${'['.repeat(depth)}${']'.repeat(depth)}`,
  })),
  fc.oneof(documentSoup, shapedDocument).map((query) => ({
    method: 'GET' as const,
    contentType: '',
    body: new URLSearchParams({ query }).toString(),
  })),
);

/**
 * Sends one hostile request on a connection of its own, as an attacker may, and
 * answers its status and whether the body was a GraphQL response. A fresh
 * connection each time keeps this process's client pool out of the picture: the
 * stack runs in the same event loop, so a pooled connection could meet the
 * router's idle timeout in a way two processes never would.
 */
export const send = (url: string, request: HostileRequest) =>
  new Promise<{ status: number; graphqlShaped: boolean; text: string }>((resolve, reject) => {
    const target = new URL(url);
    if (request.method === 'GET') target.search = request.body;
    const headers: http.OutgoingHttpHeaders =
      request.method === 'GET'
        ? { 'apollo-require-preflight': 'true' }
        : request.contentType
          ? { 'content-type': request.contentType }
          : {};
    const outgoing = http.request(
      target,
      { method: request.method, headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let graphqlShaped = false;
          try {
            const parsed = JSON.parse(text) as Record<string, unknown>;
            graphqlShaped = Array.isArray(parsed.errors) || 'data' in parsed;
          } catch {
            graphqlShaped = false;
          }
          resolve({ status: response.statusCode ?? 0, graphqlShaped, text });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.method === 'POST' ? request.body : undefined);
  });

const graphqlWsMessage = fc.oneof(
  fc.constant(json({ type: 'connection_init' })),
  fc.constant(json({ type: 'connection_init', payload: { authorization: 'Bearer forged' } })),
  fc.constant(json({ type: 'ping' })),
  fc.constant(json({ type: 'pong' })),
  fc
    .record({
      id: fc.string({ maxLength: 8 }),
      query: fc.oneof(
        documentSoup,
        shapedDocument,
        fc.constant('subscription { priceTicks(symbols: ["BTC-USDT"]) { price } }'),
      ),
    })
    .map(({ id, query }) => json({ id, type: 'subscribe', payload: { query } })),
  fc.string({ maxLength: 8 }).map((id) => json({ id, type: 'complete' })),
  fc.jsonValue({ maxDepth: 3 }).map(json),
  fc.string({ maxLength: 200 }),
);

/** A sequence of graphql-transport-ws messages, in any order. */
export const graphqlWsSequence = fc.array(graphqlWsMessage, { minLength: 1, maxLength: 15 });

/** One hostile frame (or a raw byte string where a frame should be). */
export const hostileFrame: fc.Arbitrary<Buffer> = fc.oneof(
  graphqlWsMessage.map(textFrame),
  fc
    .integer({ min: 256 * 1024 + 1, max: 2 ** 40 })
    .map((declaredLength) => clientFrame(OPCODE.text, Buffer.alloc(0), { declaredLength })),
  fc
    .uint8Array({ minLength: 1, maxLength: 64 })
    .map((bytes) =>
      clientFrame(
        OPCODE.text,
        Buffer.concat([Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(bytes)]),
      ),
    ),
  fc
    .string({ maxLength: 40 })
    .map((text) => clientFrame(OPCODE.text, Buffer.from(text), { fin: false })),
  fc
    .record({ text: fc.string({ maxLength: 40 }), fin: fc.boolean() })
    .map(({ text, fin }) => clientFrame(OPCODE.continuation, Buffer.from(text), { fin })),
  fc.uint8Array({ maxLength: 125 }).map((bytes) => clientFrame(OPCODE.ping, Buffer.from(bytes))),
  fc
    .uint8Array({ minLength: 126, maxLength: 300 })
    .map((bytes) => clientFrame(OPCODE.ping, Buffer.from(bytes))),
  fc.uint8Array({ maxLength: 125 }).map((bytes) => clientFrame(OPCODE.pong, Buffer.from(bytes))),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => clientFrame(OPCODE.binary, Buffer.from(bytes))),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc
    .string({ maxLength: 40 })
    .map((text) => clientFrame(OPCODE.text, Buffer.from(text), { masked: false })),
  fc
    .constantFrom(3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf)
    .map((opcode) => clientFrame(opcode, Buffer.from('x'))),
  fc.integer({ min: 1, max: 7 }).map((rsv) => clientFrame(OPCODE.text, Buffer.from('{}'), { rsv })),
  fc.integer({ min: 0, max: 5000 }).map((code) => {
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    return clientFrame(OPCODE.close, payload);
  }),
);

/** How a hostile connection ends: a reset, a close frame, or just stopping. */
export const ending = fc.constantFrom('reset', 'close-frame', 'half-frame-then-reset');

export const hostileConnection = fc.record({
  frames: fc.array(hostileFrame, { minLength: 1, maxLength: 12 }),
  ending,
});

export type HostileConnection = typeof hostileConnection extends fc.Arbitrary<infer T> ? T : never;
