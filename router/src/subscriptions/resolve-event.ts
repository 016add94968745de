import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import {
  executeQueryPlan,
  type GraphQLDataSource,
  type RemoteGraphQLDataSource,
  type ServiceMap,
} from '@apollo/gateway';
import type { QueryPlan } from '@apollo/query-planner';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { Logger } from '@simple-securities/service-kit';
import { SubgraphDataSource, type SubgraphCallContext } from '../graphql/subgraph-data-source.js';
import type { PlannedSubscription } from './plan-subscription.js';

const CLIENT_VISIBLE_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'INSUFFICIENT_FUNDS',
  'MARKET_CLOSED',
  'GRAPHQL_VALIDATION_FAILED',
]);

/** Subgraphs already hide their internals; transport failures between us and them are hidden here. */
export const clientVisibleErrors = (
  errors: readonly {
    message: string;
    path?: readonly (string | number)[] | undefined;
    extensions?: Record<string, unknown>;
  }[],
  logger: Logger,
): GraphQLFormattedError[] =>
  errors.map((error) => {
    const code = error.extensions?.code;
    const path = error.path ? { path: [...error.path] } : {};
    if (typeof code === 'string' && CLIENT_VISIBLE_CODES.has(code)) {
      return { message: error.message, ...path, extensions: { code } };
    }
    logger.warn({ error }, 'a subgraph failed while completing a subscription event');
    return {
      message: 'Part of this event could not be completed by the services behind the router.',
      ...path,
      extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
    };
  });

/**
 * Completes one upstream event into the client's result: the event is fed to
 * the gateway's plan executor as the result of the primary fetch, and the rest
 * of the plan (entity fetches to other subgraphs) runs as it would for a query.
 * That also shapes the result exactly as the client selected it (aliases, no
 * extra key fields). Entity fetches go through `fetcherOf(subgraph)`: the router
 * passes the fetcher its queries use, so a subgraph that hangs or is down costs
 * an event its deadline, not a held socket, and one circuit guards both paths.
 */
export class EventResolver {
  private remotes: Record<string, GraphQLDataSource> = {};

  constructor(
    subgraphUrls: ReadonlyMap<string, string>,
    private readonly internalToken: string,
    private readonly logger: Logger,
    /** How entity fetches reach each subgraph; the gateway's stock fetcher when omitted. */
    private readonly fetcherOf?: (subgraph: string) => RemoteGraphQLDataSource['fetcher'],
  ) {
    this.useSubgraphs(subgraphUrls);
  }

  /**
   * Reaches the subgraphs at these URLs from now on. Subgraphs a reloaded
   * supergraph no longer names stay reachable for the streams planned before.
   */
  useSubgraphs(subgraphUrls: ReadonlyMap<string, string>): void {
    this.remotes = {
      ...this.remotes,
      ...Object.fromEntries(
        [...subgraphUrls].map(([name, url]) => [
          name,
          new SubgraphDataSource(name, url, this.internalToken, this.fetcherOf?.(name)),
        ]),
      ),
    };
  }

  async resolve(
    plan: PlannedSubscription,
    event: FormattedExecutionResult,
    variables: Record<string, unknown>,
    identity: SubgraphCallContext,
  ): Promise<FormattedExecutionResult> {
    if (!event.data) {
      return { errors: clientVisibleErrors(event.errors ?? [], this.logger) };
    }
    const replay: GraphQLDataSource = { process: async () => event as never };
    const serviceMap: ServiceMap = { ...this.remotes, [plan.owner]: replay };
    const queryPlan: QueryPlan = {
      kind: 'QueryPlan',
      node: plan.rest ? { kind: 'Sequence', nodes: [plan.primary, plan.rest] } : plan.primary,
    };
    const requestContext = {
      request: { variables },
      context: identity,
      logger: this.logger,
      metrics: {},
    } as unknown as GatewayGraphQLRequestContext;
    const result = await executeQueryPlan(
      queryPlan,
      serviceMap,
      requestContext,
      plan.operationContext,
      plan.supergraphSchema,
      plan.apiSchema,
    );
    return {
      data: (result.data ?? null) as FormattedExecutionResult['data'],
      ...(result.errors?.length ? { errors: clientVisibleErrors(result.errors, this.logger) } : {}),
    };
  }
}
