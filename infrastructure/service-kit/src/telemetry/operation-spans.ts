import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import type { RequestHandler } from 'express';
import { errorCodeOf } from '../graphql-errors.js';

/** Attribute names of the GraphQL semantic conventions. */
export const GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
export const GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
/** The `extensions.code` of each error an operation answered with. */
export const GRAPHQL_ERROR_CODES = 'graphql.error.codes';

/**
 * The hooks that name an operation's span after the operation once it is
 * parsed (`<prefix>query Me`) and mark the errors it answered with; the
 * router's spans and the subgraphs' use the same ones.
 */
export const operationSpanListener = <Context extends BaseContext>(
  span: Span,
  namePrefix = '',
): GraphQLRequestListener<Context> => ({
  async didResolveOperation({ operation, operationName }) {
    const type = operation?.operation ?? 'operation';
    const name = operationName ?? 'anonymous';
    span.updateName(`${namePrefix}${type} ${name}`);
    span.setAttributes({ [GRAPHQL_OPERATION_TYPE]: type, [GRAPHQL_OPERATION_NAME]: name });
  },
  async willSendResponse({ errors }) {
    if (!errors?.length) return;
    const codes = errors.map(errorCodeOf);
    span.setAttribute(GRAPHQL_ERROR_CODES, codes);
    span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(', ') });
  },
});

/**
 * One server span per GraphQL request a subgraph serves, continuing the trace of
 * the `traceparent` the router sent. The middleware opens the span and makes it
 * the active one for everything the request does (resolvers, database calls);
 * the plugin names it after the operation once it is known and marks errors.
 */
export const subgraphOperationSpans = (
  tracer: Tracer,
  subgraph: string,
): { readonly middleware: RequestHandler; readonly plugin: ApolloServerPlugin } => ({
  middleware: (req, res, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(
      `${subgraph} operation`,
      { kind: SpanKind.SERVER, attributes: { 'graphql.subgraph': subgraph } },
      parent,
    );
    res.once('close', () => span.end());
    context.with(trace.setSpan(parent, span), next);
  },
  plugin: {
    async requestDidStart() {
      const span = trace.getActiveSpan();
      return span && operationSpanListener(span, `${subgraph} `);
    },
  },
});
