import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import type { Logger } from '@simple-securities/service-kit';
import { CircuitBreaker, type CircuitPolicy } from './circuit-breaker.js';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

/** How one call to a subgraph ended, as metrics count it. */
export type SubgraphFetchOutcome = 'ok' | 'http_error' | 'timeout' | 'unreachable' | 'circuit_open';

export interface SubgraphFetchObserver {
  observeSubgraphFetch(subgraph: string, seconds: number, outcome: SubgraphFetchOutcome): void;
}

export interface SubgraphGuard {
  /** The longest a call may take, answer read included. */
  readonly timeoutMs: number;
  readonly circuit: CircuitPolicy;
  readonly observer?: SubgraphFetchObserver;
  readonly logger: Logger;
}

/** Statuses that say the subgraph itself is in trouble, not the request. */
const SUBGRAPH_TROUBLE = new Set([502, 503, 504]);

const unavailable = (subgraph: string, why: string) =>
  new GraphQLError(`The ${subgraph} service is unavailable (${why}); try again shortly.`, {
    extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
  });

/**
 * Wraps a subgraph's fetcher with a deadline and a circuit breaker. A call
 * that takes longer than the deadline is aborted; one that cannot connect
 * fails as it would; both answer SUBGRAPH_UNAVAILABLE and count towards
 * opening the circuit, as do 502/503/504 answers. While the circuit is open,
 * calls are refused without touching the network.
 */
export const guardedFetcher = (
  subgraph: string,
  fetcher: Fetcher,
  { timeoutMs, circuit, observer, logger }: SubgraphGuard,
): Fetcher => {
  const breaker = new CircuitBreaker(circuit);
  const observe = (started: number, outcome: SubgraphFetchOutcome) =>
    observer?.observeSubgraphFetch(subgraph, (performance.now() - started) / 1000, outcome);
  const succeeded = () => {
    if (breaker.state.kind !== 'closed') {
      logger.info({ subgraph }, `${subgraph} answers again: calls to it go out as usual`);
    }
    breaker.succeeded();
  };
  const failed = (reason: string) => {
    const before = breaker.state.kind;
    const after = breaker.failed().kind;
    if (before !== 'open' && after === 'open') {
      logger.warn(
        { subgraph, reason, retryInMs: circuit.resetAfterMs },
        `${subgraph} keeps failing (${reason}): its calls are refused with SUBGRAPH_UNAVAILABLE for ${circuit.resetAfterMs} ms, then one is tried`,
      );
    }
  };

  return (async (url: string, init?: Parameters<Fetcher>[1]) => {
    const started = performance.now();
    if (!breaker.tryAcquire()) {
      observe(started, 'circuit_open');
      throw unavailable(subgraph, 'it failed repeatedly and is given a moment to recover');
    }
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    try {
      const response = await fetcher(url, { ...init, signal: deadline.signal } as never);
      if (SUBGRAPH_TROUBLE.has(response.status)) {
        failed(`HTTP ${response.status}`);
        observe(started, 'http_error');
      } else {
        succeeded();
        observe(started, response.ok ? 'ok' : 'http_error');
      }
      return response;
    } catch (error) {
      if (deadline.signal.aborted) {
        failed(`no answer within ${timeoutMs} ms`);
        observe(started, 'timeout');
        throw unavailable(subgraph, `no answer within ${timeoutMs} ms`);
      }
      failed((error as Error).message);
      observe(started, 'unreachable');
      throw unavailable(subgraph, 'it cannot be reached');
    } finally {
      clearTimeout(timer);
    }
  }) as Fetcher;
};
