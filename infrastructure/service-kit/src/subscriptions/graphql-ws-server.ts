import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import { GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import { formatGraphQLError } from '../graphql-errors.js';
import { type RequestContext, requestContextFrom } from '../request-context.js';

export interface GraphqlWsOptions<Context extends RequestContext> {
  readonly httpServer: http.Server;
  readonly path: string;
  readonly schema: GraphQLSchema;
  readonly logger: Logger;
  readonly internalToken: string;
  readonly extendContext?: (base: RequestContext) => Context | Promise<Context>;
  /** How long a socket may stay open without `connection_init` (ms). */
  readonly connectionInitWaitTimeoutMs?: number;
}

export interface GraphqlWsEndpoint {
  /** Closes every socket with 1001 (clients retry) and stops accepting new ones. */
  close(): Promise<void>;
}

/**
 * The router sends the caller identity as `connectionParams` with the same names
 * and values as the HTTP headers it forwards, so a subscription is trusted
 * exactly like a query: only together with the internal service token.
 */
export const headersFromConnectionParams = (
  params: Readonly<Record<string, unknown>> | undefined,
): IncomingHttpHeaders => {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  return headers;
};

/**
 * Serves GraphQL over WebSocket (the `graphql-transport-ws` protocol) on the
 * subgraph's HTTP server and path, so the router can forward subscriptions to it.
 */
export const serveGraphqlWs = <Context extends RequestContext>(
  options: GraphqlWsOptions<Context>,
): GraphqlWsEndpoint => {
  const { logger } = options;
  const wss = new WebSocketServer({ noServer: true });
  const formatError = formatGraphQLError(logger);

  const onUpgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== options.path) return;
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  options.httpServer.on('upgrade', onUpgrade);

  const format = (result: ExecutionResult) =>
    result.errors
      ? {
          ...result,
          errors: result.errors.map((error) =>
            formatError(
              error.toJSON(),
              error instanceof GraphQLError ? error : new GraphQLError(String(error)),
            ),
          ),
        }
      : result;

  const server = useServer(
    {
      schema: options.schema,
      connectionInitWaitTimeout: options.connectionInitWaitTimeoutMs ?? 3_000,
      context: async (ctx) => {
        const base = requestContextFrom(
          headersFromConnectionParams(ctx.connectionParams),
          logger,
          options.internalToken,
        );
        return options.extendContext ? options.extendContext(base) : base;
      },
      onNext: (_ctx, _id, _payload, _args, result) => format(result),
      onError: (_ctx, _id, _payload, errors) =>
        errors.map((error) => formatError(error.toJSON(), error)),
    },
    wss,
  );

  return {
    close: async () => {
      options.httpServer.off('upgrade', onUpgrade);
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
};
