import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SubscriptionStats } from '../subscriptions/index.js';
import type { SubgraphFetchObserver, SubgraphFetchOutcome } from '../resilience/guarded-fetcher.js';
import { BoundedLabel } from './bounded-label.js';

const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Distinct operation names and error codes kept as labels; the rest count as `other`. */
const MAX_OPERATION_NAMES = 200;
const MAX_ERROR_CODES = 50;

/** The code a request is counted under when it ended without errors. */
export const NO_ERROR = 'none';

/**
 * The router's Prometheus metrics, in a registry of its own (several routers
 * may run in one process, as in tests). Request metrics are recorded as
 * requests end; subscription figures are read from the subscription endpoint
 * when Prometheus scrapes, so delivering an event costs nothing extra.
 */
export class RouterMetrics implements SubgraphFetchObserver {
  readonly registry = new Registry();
  private readonly operationNames = new BoundedLabel(MAX_OPERATION_NAMES);
  private readonly errorCodes = new BoundedLabel(MAX_ERROR_CODES);
  private readonly requests: Counter<'operation' | 'code'>;
  private readonly requestDuration: Histogram<'operation'>;
  private readonly subgraphFetchDuration: Histogram<'subgraph' | 'outcome'>;
  private readonly subgraphFetchErrors: Counter<'subgraph' | 'outcome'>;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'router_graphql_requests_total',
      help: 'GraphQL requests served, by operation name and the code of their first error (none when they succeeded).',
      labelNames: ['operation', 'code'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'router_graphql_request_duration_seconds',
      help: 'Time to serve a GraphQL request over HTTP, from parsing to the answer, by operation name.',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    this.subgraphFetchDuration = new Histogram({
      name: 'router_subgraph_fetch_duration_seconds',
      help: 'Time of each call to a subgraph, by subgraph and how it ended.',
      labelNames: ['subgraph', 'outcome'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    this.subgraphFetchErrors = new Counter({
      name: 'router_subgraph_fetch_errors_total',
      help: 'Calls to a subgraph that failed: http_error, timeout, unreachable, or circuit_open (refused without calling).',
      labelNames: ['subgraph', 'outcome'],
      registers,
    });
  }

  /** Reports the subscription endpoint's figures, read at each scrape. */
  watchSubscriptions(subscriptionStats: () => SubscriptionStats): void {
    const registers = [this.registry];
    new Gauge({
      name: 'router_subscriptions_open',
      help: 'Subscriptions clients hold open over graphql-ws or server-sent events.',
      registers,
      collect() {
        this.set(subscriptionStats().subscriptions);
      },
    });
    new Gauge({
      name: 'router_subscription_connections_open',
      help: 'Subscription connections open: graphql-ws sockets and server-sent event streams.',
      registers,
      collect() {
        this.set(subscriptionStats().connections);
      },
    });
    new Counter({
      name: 'router_subscription_events_delivered_total',
      help: 'Subscription events written to clients.',
      registers,
      collect() {
        this.reset();
        this.inc(subscriptionStats().delivered);
      },
    });
    new Counter({
      name: 'router_subscription_events_dropped_total',
      help: 'Subscription events not delivered: conflated (a newer one replaced it for a client that was behind) or shed (completing events fell too far behind).',
      labelNames: ['reason'],
      registers,
      collect() {
        const stats = subscriptionStats();
        this.reset();
        this.inc({ reason: 'conflated' }, stats.conflated);
        this.inc({ reason: 'shed' }, stats.upstreamEventsShed);
      },
    });
  }

  /** Counts each GraphQL request and times it. */
  plugin<Context extends object>(): ApolloServerPlugin<Context> {
    const served = (operationName: string | null | undefined, code: unknown, seconds: number) => {
      const operation = this.operationNames.of(operationName ?? 'anonymous');
      this.requests.inc({
        operation,
        code: typeof code === 'string' ? this.errorCodes.of(code) : NO_ERROR,
      });
      this.requestDuration.observe({ operation }, seconds);
    };
    return {
      async requestDidStart() {
        const started = performance.now();
        return {
          async willSendResponse({ operationName, errors }) {
            // A failure nobody coded (a plain Error from the gateway) has no extensions.
            const first: { extensions?: Record<string, unknown> } | undefined = errors?.[0];
            served(operationName, first?.extensions?.code, (performance.now() - started) / 1000);
          },
        };
      },
    };
  }

  /** Counts a request refused before it reached GraphQL (e.g. CSRF_PREVENTED). */
  countRefusedRequest(code: string): void {
    this.requests.inc({ operation: 'none', code: this.errorCodes.of(code) });
  }

  observeSubgraphFetch(subgraph: string, seconds: number, outcome: SubgraphFetchOutcome): void {
    this.subgraphFetchDuration.observe({ subgraph, outcome }, seconds);
    if (outcome !== 'ok') this.subgraphFetchErrors.inc({ subgraph, outcome });
  }
}
