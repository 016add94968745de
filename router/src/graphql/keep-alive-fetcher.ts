import http from 'node:http';
import https from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { getOperationAST, OperationTypeNode, parse } from 'graphql';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

/** A subgraph's whole answer, already read: the gateway parses it once, an error hook may read it again. */
class BufferedResponse {
  readonly ok: boolean;
  readonly redirected = false;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };

  constructor(
    readonly url: string,
    message: http.IncomingMessage,
    private readonly body: string,
  ) {
    this.status = message.statusCode ?? 0;
    this.statusText = message.statusMessage ?? '';
    this.ok = this.status >= 200 && this.status < 300;
    const raw = message.headers;
    this.headers = {
      get: (name) => {
        const value = raw[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }

  async text() {
    return this.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body);
  }

  clone() {
    return this;
  }
}

/**
 * A failed call as an Error made here, keeping its code: the gateway turns only
 * what is `instanceof Error` into a GraphQL error, and a socket error made by
 * Node's internals is not one where the router runs in a VM context (jest).
 */
const transportError = (error: NodeJS.ErrnoException) =>
  Object.assign(new Error(error.message, { cause: error }), { code: error.code });

/** What the gateway passes, and the deadline a caller may add (see `guardedFetcher`). */
interface FetchInit {
  readonly method?: string;
  readonly headers?: unknown;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

/**
 * A pooled connection the subgraph closed for idling can be picked for a request
 * just as the close arrives; the request then fails with a reset, almost always
 * before the subgraph read it. Each such failure retires one pooled connection,
 * so the resends end at the latest on a new connection.
 */
const STALE_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE']);
const closedWhileIdle = (request: http.ClientRequest, error: NodeJS.ErrnoException) =>
  request.reusedSocket && STALE_CONNECTION_CODES.has(error.code ?? '');

/**
 * "Almost always" is not always: a subgraph that crashed while running the call also
 * resets it. Sending a query twice is harmless; a mutation's effects could happen
 * twice, so a reset mutation fails to the client, who can retry with its idempotency key.
 */
const safeToSendAgain = (body: string | undefined): boolean => {
  if (body === undefined) return true;
  try {
    const { query } = JSON.parse(body) as { query?: unknown };
    if (typeof query !== 'string') return true;
    return getOperationAST(parse(query))?.operation !== OperationTypeNode.MUTATION;
  } catch {
    return false;
  }
};

/**
 * The fetcher the router calls subgraphs with: Node's HTTP client over
 * keep-alive agents, one connection pool per subgraph origin. The gateway's
 * stock fetcher (make-fetch-happen over node-fetch, with npm's agent) and
 * Node's own fetch (undici, web streams) each cost more router CPU per query
 * than the subgraph calls themselves in a profile of the gateway benchmark.
 */
export const keepAliveFetcher = (): { fetcher: Fetcher; close(): void } => {
  const agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };
  const send = (url: string, init: FetchInit | undefined): Promise<FetcherResponse> =>
    new Promise<FetcherResponse>((resolve, reject) => {
      const target = new URL(url);
      const request = (target.protocol === 'https:' ? https : http).request(
        target,
        {
          method: init?.method ?? 'GET',
          headers: init?.headers as http.OutgoingHttpHeaders | undefined,
          agent: target.protocol === 'https:' ? agents['https:'] : agents['http:'],
          ...(init?.signal ? { signal: init.signal } : {}),
        },
        (message) => {
          const chunks: Buffer[] = [];
          message.on('data', (chunk: Buffer) => chunks.push(chunk));
          message.on('error', (error) => reject(transportError(error)));
          message.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            resolve(new BufferedResponse(url, message, body) as unknown as FetcherResponse);
          });
        },
      );
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (closedWhileIdle(request, error) && safeToSendAgain(init?.body))
          resolve(send(url, init));
        else reject(transportError(error));
      });
      request.end(init?.body);
    });
  const fetcher = ((url: string, init?: FetchInit) => send(url, init)) as Fetcher;
  return {
    fetcher,
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
};
