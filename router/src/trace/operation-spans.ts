import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace as otel,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { ApolloServerPlugin } from '@apollo/server';
import { operationSpanListener } from '@simple-securities/service-kit';
import { traceFrom, traceOfSpan, type TraceContext } from './trace-context.js';

/** The instrumentation name of the router's spans. */
export const ROUTER_TRACER = '@simple-securities/router';

/** The caller's span as the parent of ours, when its traceparent is valid. */
const callerContext = (incoming: TraceContext): Context =>
  incoming.parentSpanId
    ? otel.setSpanContext(ROOT_CONTEXT, {
        traceId: incoming.traceId,
        spanId: incoming.parentSpanId,
        traceFlags: Number.parseInt(incoming.flags, 16) & TraceFlags.SAMPLED,
        isRemote: true,
      })
    : ROOT_CONTEXT;

/**
 * Opens the router's server span for one GraphQL request over HTTP, continuing
 * the caller's trace when it sent a valid `traceparent`, and ends it when the
 * response is done. The request's trace context takes the span's ids, so logs,
 * the forwarded `traceparent` and the exported trace agree.
 */
export const startOperationSpan = (
  tracer: Tracer,
  traceparent: string | undefined,
  response: { once(event: 'close', listener: () => void): unknown },
): TraceContext => {
  const incoming = traceFrom(traceparent);
  const span = tracer.startSpan(
    'router operation',
    { kind: SpanKind.SERVER },
    callerContext(incoming),
  );
  response.once('close', () => span.end());
  return traceOfSpan(span, incoming.parentSpanId);
};

/** Names each operation span after its operation once parsed, and marks its errors. */
export const operationSpanPlugin = <
  Context extends { readonly trace: TraceContext },
>(): ApolloServerPlugin<Context> => ({
  async requestDidStart({ contextValue }) {
    const { span } = contextValue.trace;
    return span && operationSpanListener<Context>(span);
  },
});

/**
 * Runs one call to a subgraph in a client span under the operation's span;
 * `work` gets the span, whose context the call carries as its `traceparent`.
 */
export const inSubgraphFetchSpan = async <T>(
  operation: Span,
  subgraph: string,
  work: (span: Span) => Promise<T>,
): Promise<T> => {
  const span = otel
    .getTracer(ROUTER_TRACER)
    .startSpan(
      `fetch ${subgraph}`,
      { kind: SpanKind.CLIENT, attributes: { 'graphql.subgraph': subgraph } },
      otel.setSpan(ROOT_CONTEXT, operation),
    );
  try {
    return await work(span);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
};
