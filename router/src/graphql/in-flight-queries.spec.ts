import { describe, expect, it } from '@jest/globals';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { shareInFlightQueries } from './in-flight-queries.js';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

/** A subgraph connection that answers only when told to, and counts what was sent. */
const heldSubgraph = () => {
  const sent: string[] = [];
  const answers: ((outcome: FetcherResponse | Error) => void)[] = [];
  const fetcher = ((_url: string, init?: { body?: string }) => {
    sent.push(init?.body ?? '');
    return new Promise<FetcherResponse>((resolve, reject) =>
      answers.push((outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome))),
    );
  }) as Fetcher;
  return {
    sent,
    fetcher,
    answerAll: (outcome: FetcherResponse | Error) => answers.splice(0).forEach((a) => a(outcome)),
  };
};

const URL = 'http://products/graphql';
const call = (body: object, caller = 'alice-assertion') => ({
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    'x-caller-assertion': caller,
    'x-request-id': Math.random().toString(36),
  },
  body: JSON.stringify(body),
});
const productQuery = { query: 'query Top__products__0{topProducts{upc name}}', variables: {} };
const answer = { ok: true, status: 200 } as unknown as FetcherResponse;

describe('sharing identical subgraph queries in flight', () => {
  it('given the same query for the same caller twice at once, when it is answered, then it went out once and both have the answer', async () => {
    const subgraph = heldSubgraph();
    const fetch = shareInFlightQueries(subgraph.fetcher);
    const first = fetch(URL, call(productQuery));
    const second = fetch(URL, call(productQuery));
    subgraph.answerAll(answer);
    await expect(Promise.all([first, second])).resolves.toEqual([answer, answer]);
    expect(subgraph.sent).toHaveLength(1);
  });

  it('given two callers, when they ask the same query at once, then each gets a call of their own', async () => {
    const subgraph = heldSubgraph();
    const fetch = shareInFlightQueries(subgraph.fetcher);
    const calls = [fetch(URL, call(productQuery, 'alice')), fetch(URL, call(productQuery, 'bob'))];
    subgraph.answerAll(answer);
    await Promise.all(calls);
    expect(subgraph.sent).toHaveLength(2);
  });

  it('never shares a mutation: each one goes out', async () => {
    const subgraph = heldSubgraph();
    const fetch = shareInFlightQueries(subgraph.fetcher);
    const deposit = { query: 'mutation Pay__core__0{deposit(input:{}){id}}', variables: {} };
    const calls = [fetch(URL, call(deposit)), fetch(URL, call(deposit))];
    subgraph.answerAll(answer);
    await Promise.all(calls);
    expect(subgraph.sent).toHaveLength(2);
  });

  it('shares only while in flight: the same query asked after the answer goes out again', async () => {
    const subgraph = heldSubgraph();
    const fetch = shareInFlightQueries(subgraph.fetcher);
    const first = fetch(URL, call(productQuery));
    subgraph.answerAll(answer);
    await first;
    const again = fetch(URL, call(productQuery));
    subgraph.answerAll(answer);
    await again;
    expect(subgraph.sent).toHaveLength(2);
  });

  it('gives a failure to every sharer, then forgets it', async () => {
    const subgraph = heldSubgraph();
    const fetch = shareInFlightQueries(subgraph.fetcher);
    const calls = [fetch(URL, call(productQuery)), fetch(URL, call(productQuery))];
    subgraph.answerAll(new Error('ECONNREFUSED'));
    await expect(calls[0]).rejects.toThrow('ECONNREFUSED');
    await expect(calls[1]).rejects.toThrow('ECONNREFUSED');
    const retried = fetch(URL, call(productQuery));
    subgraph.answerAll(answer);
    await expect(retried).resolves.toBe(answer);
    expect(subgraph.sent).toHaveLength(2);
  });
});
