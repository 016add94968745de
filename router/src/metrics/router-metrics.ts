import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { GraphQLRequestMetrics, LATENCY_BUCKETS_SECONDS } from '@simple-securities/service-kit';
import type { SubscriptionStats } from '../subscriptions/index.js';
import type { SubgraphFetchObserver, SubgraphFetchOutcome } from '../resilience/guarded-fetcher.js';

/**
 * The router's Prometheus metrics, in a registry of its own (several routers
 * may run in one process, as in tests). Request metrics are recorded as
 * requests end; subscription figures are read from the subscription endpoint
 * when Prometheus scrapes, so delivering an event costs nothing extra.
 */
export class RouterMetrics implements SubgraphFetchObserver {
  readonly registry = new Registry();
  private readonly requests: GraphQLRequestMetrics;
  private readonly subgraphFetchDuration: Histogram<'subgraph' | 'outcome'>;
  private readonly subgraphFetchErrors: Counter<'subgraph' | 'outcome'>;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new GraphQLRequestMetrics(this.registry, 'router');
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
    return this.requests.plugin<Context>();
  }

  /** Counts a request refused before it reached GraphQL (e.g. CSRF_PREVENTED). */
  countRefusedRequest(code: string): void {
    this.requests.countRefusedRequest(code);
  }

  observeSubgraphFetch(subgraph: string, seconds: number, outcome: SubgraphFetchOutcome): void {
    this.subgraphFetchDuration.observe({ subgraph, outcome }, seconds);
    if (outcome !== 'ok') this.subgraphFetchErrors.inc({ subgraph, outcome });
  }
}
