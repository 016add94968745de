import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  CALLER_HEADERS,
  REQUEST_ID_HEADER,
  TRACEPARENT_HEADER,
  callerHeaders,
} from '@simple-securities/service-kit';
import { childSpan, formatTraceparent } from '../trace/trace-context.js';
import type { RouterContext } from './router-context.js';

/**
 * Calls one subgraph on behalf of a router request. Outgoing headers are built
 * here from scratch: nothing a client sent is copied, so a client can never
 * smuggle its own caller identity or internal token to a subgraph.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly internalToken: string,
  ) {
    super({ url });
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<RouterContext>) {
    // The gateway's own calls (e.g. its health checks) belong to no router request.
    if (!('incomingRequestContext' in options)) return;
    const { request, context } = options;
    const headers = request.http?.headers;
    if (!headers) return;
    for (const name of Object.values(CALLER_HEADERS)) headers.delete(name);
    const span = childSpan(context.trace);
    headers.set(REQUEST_ID_HEADER, context.requestId);
    headers.set(TRACEPARENT_HEADER, formatTraceparent(span));
    if (context.caller) {
      for (const [name, value] of Object.entries(
        callerHeaders(context.caller, this.internalToken),
      )) {
        headers.set(name, value);
      }
    }
    context.logger.debug({ subgraph: this.subgraph, spanId: span.spanId }, 'calling subgraph');
  }
}
