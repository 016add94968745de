import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { GraphQLRequestMetrics } from './graphql-metrics.js';

/**
 * A subgraph's Prometheus metrics, in a registry of its own (the launcher runs
 * all four in one process), each sample labelled with the subgraph's name:
 * `subgraph_graphql_requests_total`, `subgraph_graphql_request_duration_seconds`
 * and `subgraph_subscription_events_delivered_total`, beside the process's own.
 */
export class SubgraphMetrics {
  readonly registry = new Registry();
  readonly requests: GraphQLRequestMetrics;
  private readonly eventsDelivered: Counter;

  constructor(subgraph: string) {
    this.registry.setDefaultLabels({ subgraph });
    collectDefaultMetrics({ register: this.registry });
    this.requests = new GraphQLRequestMetrics(this.registry, 'subgraph');
    this.eventsDelivered = new Counter({
      name: 'subgraph_subscription_events_delivered_total',
      help: 'Subscription events the subgraph sent over graphql-ws (to the router, or a client connected directly).',
      registers: [this.registry],
    });
  }

  countEventDelivered(): void {
    this.eventsDelivered.inc();
  }
}
