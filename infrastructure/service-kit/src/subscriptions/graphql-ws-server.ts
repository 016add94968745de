import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import {
  GraphQLError,
  getOperationAST,
  parse,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import { formatGraphQLError } from '../graphql-errors.js';
import {
  measureOperation,
  operationNotFoundError,
  queryLimitError,
  queryLimitProblems,
  type QueryLimits,
} from '../query-limits.js';
import { type RequestContext, requestContextFrom } from '../request-context.js';
import { rejectUpgrade } from './reject-upgrade.js';

export interface GraphqlWsOptions<Context extends RequestContext> {
  readonly httpServer: http.Server;
  readonly path: string;
  readonly schema: GraphQLSchema;
  readonly logger: Logger;
  readonly internalToken: string;
  /** The subgraph's name: the audience of the caller assertions it accepts. */
  readonly service: string;
  readonly limits: QueryLimits;
  readonly extendContext?: (base: RequestContext) => Context | Promise<Context>;
  /** How long a socket may stay open without `connection_init` (ms). */
  readonly connectionInitWaitTimeoutMs?: number;
  /** Largest message accepted; a larger one closes its socket with 1009. */
  readonly maxMessageBytes?: number;
  /** Called for each event sent to a subscriber (metrics count them). */
  readonly onEventDelivered?: () => void;
}

export interface GraphqlWsEndpoint {
  /** Closes every socket with 1001 (clients retry) and stops accepting new ones. */
  close(): Promise<void>;
}

/** Subscribe messages from the router are a few kilobytes; this leaves room and no more. */
const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * The router sends the caller assertion as `connectionParams` under the same name
 * as the HTTP header it forwards, so a subscription is trusted exactly like a query.
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
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
  });
  const formatError = formatGraphQLError(logger);

  // `ws` answers a protocol error (oversize, bad UTF-8) with its close code; this only logs it.
  wss.on('connection', (socket) =>
    socket.on('error', (error) =>
      logger.info(
        { reason: error.message },
        'closed a WebSocket connection that broke the protocol',
      ),
    ),
  );
  const onUpgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== options.path) {
      rejectUpgrade(socket, 404, logger);
      return;
    }
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
        const base = await requestContextFrom(
          headersFromConnectionParams(ctx.connectionParams),
          logger,
          options.internalToken,
          options.service,
        );
        return options.extendContext ? options.extendContext(base) : base;
      },
      // The same limits as over HTTP, with the request's variables.
      onSubscribe: (_ctx, _id, payload) => {
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch {
          return undefined; // graphql-ws reports the syntax error itself
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [operationNotFoundError(payload.operationName)];
        const measure = measureOperation(
          options.schema,
          document,
          operation,
          payload.variables ?? {},
        );
        const problems = queryLimitProblems(operation, measure, options.limits);
        return problems.length > 0 ? [queryLimitError(problems)] : undefined;
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        options.onEventDelivered?.();
        return format(result);
      },
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
