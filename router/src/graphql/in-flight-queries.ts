import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import {
  CALLER_ASSERTION_HEADER,
  CLIENT_ADDRESS_HEADER,
  CLIENT_ADDRESS_SIGNATURE_HEADER,
} from '@simple-securities/service-kit';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetchInit = NonNullable<Parameters<Fetcher>[1]>;

/**
 * The headers a subgraph's answer may depend on: who the caller is and where the call
 * comes from. The request id and trace headers differ on every call and change nothing
 * in the answer, so they are left out of what makes two calls the same.
 */
const ANSWER_HEADERS = [
  CALLER_ASSERTION_HEADER,
  CLIENT_ADDRESS_HEADER,
  CLIENT_ADDRESS_SIGNATURE_HEADER,
] as const;

/**
 * Only reads are shared. The gateway sends each subgraph operation as the JSON of
 * `{ query, variables, … }`, with the text first; a query's text starts with `query` or
 * with its selection set, a mutation's with `mutation`.
 */
const isQueryBody = (body: string): boolean =>
  body.startsWith('{"query":"query') || body.startsWith('{"query":"{');

const headerOf = (headers: FetchInit['headers'], name: string): string => {
  const value = (headers as Record<string, string | undefined> | undefined)?.[name];
  return value ?? '';
};

/** What makes two calls the same call: the subgraph, the operation and its variables, and the caller. */
const sameCallKey = (url: string, init: FetchInit | undefined): string | undefined => {
  const body = init?.body;
  if (typeof body !== 'string' || (init?.method ?? 'GET') !== 'POST' || !isQueryBody(body))
    return undefined;
  const identity = ANSWER_HEADERS.map((name) => headerOf(init?.headers, name)).join('\u0000');
  return `${url}\u0000${identity}\u0000${body}`;
};

/**
 * Identical subgraph queries in flight at the same time, within one request or across
 * requests, go out once and share the answer: under load many clients ask the same
 * thing in the same moment (the same product, the same order book). Two calls are the
 * same only for the same caller and client address, so no answer reaches a caller it was
 * not made for; mutations are never shared. The answer is already read in full by the
 * connection fetcher, so every sharer can parse it.
 */
export const shareInFlightQueries = (fetcher: Fetcher): Fetcher => {
  const inFlight = new Map<string, ReturnType<Fetcher>>();
  return ((url: string, init?: FetchInit) => {
    const key = sameCallKey(url, init);
    if (key === undefined) return fetcher(url, init);
    const pending = inFlight.get(key);
    if (pending) return pending;
    const sent = fetcher(url, init);
    inFlight.set(key, sent);
    const done = () => void inFlight.delete(key);
    sent.then(done, done);
    return sent;
  }) as Fetcher;
};
