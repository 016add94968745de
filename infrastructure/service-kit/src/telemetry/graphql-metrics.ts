import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Histogram, type Registry } from 'prom-client';
import { errorCodeOf } from '../graphql-errors.js';
import { BoundedLabel } from './bounded-label.js';

/** Buckets of every latency histogram, router and subgraphs alike, so their figures compare. */
export const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Distinct operation names and error codes kept as labels; the rest count as `other`. */
const MAX_OPERATION_NAMES = 200;
const MAX_ERROR_CODES = 50;

/** The code a request is counted under when it ended without errors. */
export const NO_ERROR = 'none';

/**
 * Requests served over HTTP, counted by operation name and the code of their
 * first error, and timed by operation name: `<prefix>_graphql_requests_total`
 * and `<prefix>_graphql_request_duration_seconds` in `registry`. The router and
 * every subgraph count the same way.
 */
export class GraphQLRequestMetrics {
  private readonly operationNames = new BoundedLabel(MAX_OPERATION_NAMES);
  private readonly errorCodes = new BoundedLabel(MAX_ERROR_CODES);
  private readonly requests: Counter<'operation' | 'code'>;
  private readonly requestDuration: Histogram<'operation'>;

  constructor(registry: Registry, prefix: string) {
    this.requests = new Counter({
      name: `${prefix}_graphql_requests_total`,
      help: 'GraphQL requests served, by operation name and the code of their first error (none when they succeeded).',
      labelNames: ['operation', 'code'],
      registers: [registry],
    });
    this.requestDuration = new Histogram({
      name: `${prefix}_graphql_request_duration_seconds`,
      help: 'Time to serve a GraphQL request over HTTP, from parsing to the answer, by operation name.',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [registry],
    });
  }

  /** Counts each GraphQL request and times it. */
  plugin<Context extends object>(): ApolloServerPlugin<Context> {
    const served = (operationName: string | null | undefined, code: string, seconds: number) => {
      const operation = this.operationNames.of(operationName ?? 'anonymous');
      this.requests.inc({ operation, code: code === NO_ERROR ? code : this.errorCodes.of(code) });
      this.requestDuration.observe({ operation }, seconds);
    };
    return {
      async requestDidStart() {
        const started = performance.now();
        return {
          async willSendResponse({ operationName, errors }) {
            const code = errors?.length ? errorCodeOf(errors[0]) : NO_ERROR;
            served(operationName, code, (performance.now() - started) / 1000);
          },
        };
      },
    };
  }

  /** Counts a request refused before it reached GraphQL (e.g. CSRF_PREVENTED). */
  countRefusedRequest(code: string): void {
    this.requests.inc({ operation: 'none', code: this.errorCodes.of(code) });
  }
}
