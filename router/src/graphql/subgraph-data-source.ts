import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import {
  CALLER_ASSERTION_HEADER,
  CLIENT_ADDRESS_HEADER,
  CLIENT_ADDRESS_SIGNATURE_HEADER,
  REQUEST_ID_HEADER,
  TRACEPARENT_HEADER,
  callerHeaders,
  clientAddressHeaders,
  type Caller,
  type Logger,
} from '@simple-securities/service-kit';
import type { Span } from '@opentelemetry/api';
import { inSubgraphFetchSpan } from '../trace/operation-spans.js';
import {
  childSpan,
  formatTraceparent,
  traceOfSpan,
  type TraceContext,
} from '../trace/trace-context.js';

/** What every call to a subgraph forwards: who it is for, and the request it belongs to. */
export interface SubgraphCallContext {
  readonly caller: Caller | undefined;
  readonly requestId: string;
  readonly trace: TraceContext;
  readonly clientAddress?: string | undefined;
  readonly logger?: Logger;
}

/** Codes a subgraph gives requests that are the client's mistake. */
const CLIENT_MISTAKES = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
]);

const firstError = (body: unknown): { message: string; code: string } | undefined => {
  const errors = (body as { errors?: unknown } | null)?.errors;
  const first = Array.isArray(errors)
    ? (errors[0] as Record<string, unknown> | undefined)
    : undefined;
  const code = (first?.extensions as { code?: unknown } | undefined)?.code;
  return typeof first?.message === 'string' && typeof code === 'string'
    ? { message: first.message, code }
    : undefined;
};

/**
 * Calls one subgraph, for a router request or for the entity fetches that
 * complete a subscription event. Outgoing headers are built here from scratch:
 * nothing a client sent is copied, so a client can never smuggle a caller
 * identity to a subgraph. Every call carries the request id, a child span of
 * the request's trace, and, for a signed-in caller, an assertion of who it is.
 */
export class SubgraphDataSource<
  Context extends SubgraphCallContext = SubgraphCallContext,
> extends RemoteGraphQLDataSource<Context> {
  /** The span of each call in flight, by its request, while tracing is on. */
  private readonly fetchSpans = new WeakMap<object, Span>();

  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly internalToken: string,
    /** How to reach the subgraph; the gateway's stock fetcher when omitted (see `keepAliveFetcher`). */
    fetcher?: RemoteGraphQLDataSource['fetcher'],
  ) {
    super(fetcher ? { url, fetcher } : { url });
  }

  /** While tracing is on, each call to the subgraph is a span under the operation's. */
  override async process(options: GraphQLDataSourceProcessOptions<Context>) {
    const operation = 'incomingRequestContext' in options ? options.context.trace.span : undefined;
    if (!operation) return super.process(options);
    return inSubgraphFetchSpan(operation, this.subgraph, (span) => {
      this.fetchSpans.set(options.request, span);
      return super.process(options);
    });
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<Context>) {
    // The gateway's own calls (e.g. its health checks) belong to no router request.
    if (!('incomingRequestContext' in options)) return;
    const { request, context } = options;
    const headers = request.http?.headers;
    if (!headers) return;
    headers.delete(CALLER_ASSERTION_HEADER);
    headers.delete(CLIENT_ADDRESS_HEADER);
    headers.delete(CLIENT_ADDRESS_SIGNATURE_HEADER);
    const fetchSpan = this.fetchSpans.get(request);
    const span = fetchSpan
      ? traceOfSpan(fetchSpan, context.trace.spanId)
      : childSpan(context.trace);
    headers.set(REQUEST_ID_HEADER, context.requestId);
    headers.set(TRACEPARENT_HEADER, formatTraceparent(span));
    if (context.caller) {
      const forwarded = await callerHeaders(context.caller, this.internalToken, this.subgraph);
      for (const [name, value] of Object.entries(forwarded)) headers.set(name, value);
    }
    if (context.clientAddress) {
      const forwarded = clientAddressHeaders(
        context.clientAddress,
        this.internalToken,
        this.subgraph,
      );
      for (const [name, value] of Object.entries(forwarded)) headers.set(name, value);
    }
    if (context.logger?.isLevelEnabled('debug')) {
      context.logger.debug({ subgraph: this.subgraph, spanId: span.spanId }, 'calling subgraph');
    }
  }

  /**
   * A subgraph refuses a request the router could not judge (say, a `DateTime`
   * literal it cannot parse: the router knows only that it is a scalar) with
   * HTTP 400; that is the client's mistake, and the client gets its words and code.
   */
  override async errorFromResponse(
    response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0],
  ) {
    if (response.status === 400) {
      const mistake = firstError(
        await response
          .clone()
          .json()
          .catch(() => undefined),
      );
      if (mistake && CLIENT_MISTAKES.has(mistake.code)) {
        return new GraphQLError(mistake.message, { extensions: { code: mistake.code } });
      }
    }
    return super.errorFromResponse(response);
  }
}
