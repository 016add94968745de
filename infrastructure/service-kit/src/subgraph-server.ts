import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';

export type { GraphQLResolverMap };
import { GraphQLScalarType, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { formatGraphQLError } from './graphql-errors.js';
import { defaultQueryLimits, queryLimitsPlugin, type QueryLimits } from './query-limits.js';
import { type RequestContext, requestContextFrom } from './request-context.js';
import { serveGraphqlWs } from './subscriptions/graphql-ws-server.js';
import { subgraphOperationSpans } from './telemetry/operation-spans.js';
import { SubgraphMetrics } from './telemetry/subgraph-metrics.js';
import { tracerWhenTracing } from './telemetry/tracing.js';

export interface SubgraphDefinition<Context extends RequestContext = RequestContext> {
  /** The subgraph's name in the supergraph (`core`, `crypto`, …). */
  readonly name: string;
  readonly typeDefs: DocumentNode;
  /** One map, or several (one per part of the context) merged type by type. */
  readonly resolvers: GraphQLResolverMap<Context> | readonly GraphQLResolverMap<Context>[];
  /** Adds the service's own dependencies (use cases, read models) to each request's context. */
  readonly extendContext?: (base: RequestContext) => Context | Promise<Context>;
}

export interface RunningService {
  readonly url: string;
  readonly port: number;
  /** Where the service's internal gRPC server listens (host:port), when it has one. */
  readonly internalGrpc?: string;
  stop(): Promise<void>;
}

/**
 * One debug line per operation, tagged (through the request's logger) with the
 * request id and trace the router forwarded, so a request can be followed across services.
 */
const operationLog = <Context extends RequestContext>(
  subgraph: string,
): ApolloServerPlugin<Context> => ({
  async requestDidStart({ contextValue }) {
    const startedAt = performance.now();
    return {
      async willSendResponse({ operationName, errors }) {
        contextValue.logger.debug(
          {
            operationName: operationName ?? null,
            durationMs: Math.round(performance.now() - startedAt),
            ...(errors?.length ? { errors: errors.length } : {}),
          },
          `${subgraph} served ${operationName ?? 'an anonymous operation'}`,
        );
      },
    };
  },
});

const mergeResolvers = <Context>(
  resolvers: GraphQLResolverMap<Context> | readonly GraphQLResolverMap<Context>[],
): GraphQLResolverMap<Context> => {
  if (!Array.isArray(resolvers)) return resolvers as GraphQLResolverMap<Context>;
  const merged: Record<string, unknown> = {};
  for (const map of resolvers as readonly GraphQLResolverMap<Context>[]) {
    for (const [typeName, fields] of Object.entries(map)) {
      const existing = merged[typeName];
      // Scalars are objects too, but never split across maps: the later one wins.
      merged[typeName] =
        existing && typeof existing === 'object' && !(fields instanceof GraphQLScalarType)
          ? { ...existing, ...fields }
          : fields;
    }
  }
  return merged as GraphQLResolverMap<Context>;
};

export const subgraphSchema = <Context extends RequestContext>(
  definition: SubgraphDefinition<Context>,
): GraphQLSchema =>
  buildSubgraphSchema([
    {
      typeDefs: definition.typeDefs,
      resolvers: mergeResolvers(definition.resolvers) as GraphQLResolverMap<unknown>,
    },
  ]);

/** Something a service started before its server, such as a consumer or a client. */
export interface Stoppable {
  stop(): Promise<void>;
}

export interface SubgraphServerOptions {
  port: number;
  host?: string;
  logger: Logger;
  internalToken: string;
  /** Also serve subscriptions over graphql-ws on the same server and `/graphql` path. */
  subscriptions?: boolean;
  /** The same bounds as the router's by default: a subgraph reached directly is no softer a target. */
  limits?: Partial<QueryLimits>;
  /**
   * What the resolvers use, stopped in order once the server has stopped (so no
   * request reads from something that is shutting down), or at once if the
   * server cannot start.
   */
  stopAfter?: readonly Stoppable[];
}

const stopAll = async (parts: readonly Stoppable[]) => {
  for (const part of parts) await part.stop();
};

/**
 * Serves one subgraph over HTTP at `/graphql`, with `/health` and Prometheus
 * `/metrics`, and a span per operation while tracing is on. Stopping it lets
 * in-flight requests finish before connections close, then stops `stopAfter`.
 */
export const startSubgraphServer = async <Context extends RequestContext>(
  definition: SubgraphDefinition<Context>,
  options: SubgraphServerOptions,
): Promise<RunningService> => {
  const stopAfter = options.stopAfter ?? [];
  try {
    const server = await serve(definition, options);
    return {
      ...server,
      async stop() {
        await server.stop();
        await stopAll(stopAfter);
      },
    };
  } catch (error) {
    await stopAll(stopAfter);
    throw error;
  }
};

const serve = async <Context extends RequestContext>(
  definition: SubgraphDefinition<Context>,
  options: SubgraphServerOptions,
): Promise<RunningService> => {
  const { logger } = options;
  const app = express();
  const httpServer = http.createServer(app);
  const schema = subgraphSchema(definition);
  const limits = { ...defaultQueryLimits, ...options.limits };
  const metrics = new SubgraphMetrics(definition.name);
  const tracer = tracerWhenTracing('@simple-securities/service-kit');
  const operationSpans = tracer && subgraphOperationSpans(tracer, definition.name);
  const webSockets = options.subscriptions
    ? serveGraphqlWs({
        httpServer,
        path: '/graphql',
        schema,
        logger,
        internalToken: options.internalToken,
        service: definition.name,
        limits,
        onEventDelivered: () => metrics.countEventDelivered(),
        ...(definition.extendContext ? { extendContext: definition.extendContext } : {}),
      })
    : undefined;
  const apollo = new ApolloServer<Context>({
    schema,
    formatError: formatGraphQLError(logger),
    includeStacktraceInErrorResponses: false,
    // The service's own stopOnSignals stops it in order (server, then clients and
    // database); Apollo's handler would re-raise the signal and kill the process midway.
    stopOnTerminationSignals: false,
    // Inline traces are for Apollo Studio, which we do not report to.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      operationLog(definition.name),
      metrics.requests.plugin<Context>(),
      ...(operationSpans ? [operationSpans.plugin] : []),
      queryLimitsPlugin(limits),
    ],
  });
  await apollo.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: definition.name });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(
    '/graphql',
    ...(operationSpans ? [operationSpans.middleware] : []),
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const base = await requestContextFrom(
          req.headers,
          logger,
          options.internalToken,
          definition.name,
        );
        return definition.extendContext ? definition.extendContext(base) : (base as Context);
      },
    }),
  );

  await new Promise<void>((resolve) =>
    httpServer.listen(options.port, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}/graphql`;
  logger.info({ url }, `${definition.name} subgraph is serving GraphQL`);
  return {
    url,
    port,
    stop: async () => {
      // Open sockets would keep the HTTP server from closing, so they go first.
      await webSockets?.close();
      await apollo.stop();
      logger.info(`${definition.name} subgraph stopped`);
    },
  };
};
