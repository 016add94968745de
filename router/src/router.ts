import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Request } from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloGateway } from '@apollo/gateway';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import {
  REQUEST_ID_HEADER,
  TRACEPARENT_HEADER,
  defaultQueryLimits,
  fieldCostsOf,
  queryLimitsPlugin,
  tracerWhenTracing,
  type Logger,
  type QueryLimits,
} from '@simple-securities/service-kit';
import { authenticate } from './graphql/authenticate.js';
import { formatRouterError } from './graphql/format-error.js';
import { graphqlOverHttp } from './graphql/graphql-over-http.js';
import { introspectionDisabled } from './graphql/introspection-disabled.js';
import { routerContext, type RouterContext } from './graphql/router-context.js';
import { subscriptionsNeedAStream } from './graphql/subscriptions-need-a-stream.js';
import { keepAliveFetcher } from './graphql/keep-alive-fetcher.js';
import { shareInFlightQueries } from './graphql/in-flight-queries.js';
import { SubgraphDataSource } from './graphql/subgraph-data-source.js';
import { supergraphReloader } from './graphql/reload-supergraph.js';
import { resolveSubgraphUrls, watchSupergraph } from './graphql/supergraph.js';
import { resolvableKeysFirst } from './graphql/resolvable-keys-first.js';
import { refuseUnplannedRootFields } from './graphql/unplanned-root-fields.js';
import { aliasRequiredFieldConflicts } from './graphql/required-field-aliases.js';
import { requirementVariantsCorrection } from './graphql/required-argument-variants.js';
import { csrfPrevention } from './http/csrf-prevention.js';
import { serveEventStreams } from './http/event-streams.js';
import { serveMultipartSubscriptions } from './http/multipart-subscriptions.js';
import { RouterMetrics } from './metrics/router-metrics.js';
import { defaultCircuitPolicy, type CircuitPolicy } from './resilience/circuit-breaker.js';
import { guardedFetcher } from './resilience/guarded-fetcher.js';
import { graphiqlRoutes } from './http/graphiql.js';
import {
  attachSubscriptions,
  type SubscriptionEndpoint,
  type SubscriptionOptions,
} from './subscriptions/index.js';
import { landingPageHtml } from './http/landing-page.js';
import { checkSubgraphs } from './http/readiness.js';
import {
  startEdgeProtection,
  type PersistedDocumentsOptions,
  type RateLimitOptions,
} from './protection/edge-protection.js';
import { operationSpanPlugin, ROUTER_TRACER, startOperationSpan } from './trace/operation-spans.js';
import { requestIdFrom, traceFrom } from './trace/trace-context.js';

export interface RouterOptions {
  /** A composed supergraph (see `readSupergraph`). */
  readonly supergraphSdl: string;
  /** The file `supergraphSdl` came from: when set, its changes are served without a restart. */
  readonly supergraphPath?: string;
  /** URLs by subgraph name (`core`, `crypto`, …), overriding those in the supergraph. */
  readonly subgraphUrls?: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  readonly jwtSecret: string;
  /** Proves to subgraphs that forwarded caller headers come from the router. */
  readonly internalToken: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  readonly limits?: Partial<QueryLimits>;
  readonly maxBodyBytes?: number;
  /** Whether `__schema` and `__type` are answered (see `introspectionOf`); true by default. */
  readonly introspection?: boolean;
  /** How long a subgraph call may take: 10 s unless set, per subgraph by name. */
  readonly subgraphTimeouts?: {
    readonly defaultMs?: number;
    readonly bySubgraph?: Readonly<Record<string, number>>;
  };
  readonly circuitBreaker?: Partial<CircuitPolicy>;
  /** Prometheus metrics at /metrics; true by default. */
  readonly metrics?: boolean;
  readonly readinessTimeoutMs?: number;
  /** Subscriptions over graphql-ws on the same path (see docs/adr/0004-federated-subscriptions.md). */
  readonly subscriptions?: Pick<
    SubscriptionOptions,
    'publicSubscriptionFields' | 'allowAnonymous' | 'limits'
  >;
  /** Requests per window per client address and per user, in memory or Redis; off when absent. */
  readonly rateLimits?: RateLimitOptions;
  /** Trusted documents and automatic persisted queries; APQ with a bounded cache when absent. */
  readonly persistedDocuments?: PersistedDocumentsOptions;
}

export interface RunningRouter {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  readonly url: string;
  readonly port: number;
  /**
   * The listening server; a WebSocket server (graphql-ws) can attach to it on
   * the same `/graphql` path. Stopping the router closes it.
   */
  readonly httpServer: http.Server;
  readonly subscriptions: SubscriptionEndpoint;
  /**
   * Serves `supergraphSdl` from now on if it is valid (answers true), else
   * keeps the current one and logs why (answers false).
   */
  reloadSupergraph(supergraphSdl: string, source: string): boolean;
  /** Stops accepting requests, lets in-flight ones finish, then closes connections. */
  stop(): Promise<void>;
}

export const GRAPHQL_PATH = '/graphql';
export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 10_000;

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

const LOOPBACK_OR_ANY = new Set(['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost']);
const publicHost = (host: string) =>
  LOOPBACK_OR_ANY.has(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;

/**
 * The supergraph endpoint: verifies the caller's token once, plans each
 * operation over the subgraphs with @apollo/gateway, and forwards the caller,
 * request id and trace context to every subgraph it calls.
 */
export const startRouter = async (options: RouterOptions): Promise<RunningRouter> => {
  const { logger, supergraphSdl, jwtSecret, internalToken } = options;
  const host = options.host ?? '127.0.0.1';
  const { endpoints, unknownOverrides } = resolveSubgraphUrls(
    supergraphSdl,
    options.subgraphUrls ?? {},
  );
  if (unknownOverrides.length > 0) {
    logger.warn(
      { subgraphs: unknownOverrides },
      'URLs are configured for subgraphs the supergraph does not contain; they are ignored',
    );
  }
  const urlOf = new Map(endpoints.map(({ name, url }) => [name, url]));
  const queryLimits: QueryLimits = {
    ...defaultQueryLimits,
    fieldCosts: fieldCostsOf(supergraphSdl),
    ...options.limits,
  };
  // Known once listening (the port may be 0 until then); pages read it per request.
  let port = options.port;
  const graphqlUrl = () => `http://${publicHost(host)}:${port}${GRAPHQL_PATH}`;

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  // Request id, trace and tagged logger of each HTTP request, set before any route runs.
  const scopes = new WeakMap<Request, RouterContext>();
  // Apollo calls formatError without the request's context; the request-logging
  // plugin files each error under its request's logger, so the error's log line
  // carries the request's tags (an AsyncLocalStorage would do it at the price of
  // promise hooks on every await in the process).
  const errorLoggers = new WeakMap<object, Logger>();
  const formatError = (formatted: GraphQLFormattedError, error: unknown) =>
    formatRouterError((typeof error === 'object' && error && errorLoggers.get(error)) || logger)(
      formatted,
      error,
    );

  const metrics = options.metrics === false ? undefined : new RouterMetrics();
  // First of what can refuse to start (a manifest that lies), before anything holds a connection.
  const protection = await startEdgeProtection(options, {
    logger,
    callerOf: (authorization) => authenticate(authorization, jwtSecret),
    onRefused: (code) => metrics?.countRefusedRequest(code),
  });

  // Undefined with tracing off: then requests make no span at all, not even a no-op one.
  const tracer = tracerWhenTracing(ROUTER_TRACER);
  const { defaultMs = DEFAULT_SUBGRAPH_TIMEOUT_MS, bySubgraph = {} } =
    options.subgraphTimeouts ?? {};
  const unknownTimeouts = Object.keys(bySubgraph).filter((name) => !urlOf.has(name));
  if (unknownTimeouts.length > 0) {
    logger.warn(
      { subgraphs: unknownTimeouts },
      'timeouts are configured for subgraphs the supergraph does not contain; they are ignored',
    );
  }
  // What both planners (queries and subscriptions) read; see ADR 0026.
  const plannedSupergraphSdl = resolvableKeysFirst(supergraphSdl);
  const subgraphConnections = keepAliveFetcher();
  // One per subgraph, shared by queries and by the entity fetches that complete
  // subscription events, so both see the same deadline and the same circuit.
  const guardedFetchers = new Map<string, ReturnType<typeof guardedFetcher>>();
  const subgraphFetcher = (name: string) => {
    let fetcher = guardedFetchers.get(name);
    if (!fetcher) {
      fetcher = shareInFlightQueries(
        guardedFetcher(name, subgraphConnections.fetcher, {
          timeoutMs: bySubgraph[name] ?? defaultMs,
          circuit: { ...defaultCircuitPolicy, ...options.circuitBreaker },
          observer: metrics,
          logger,
        }),
      );
      guardedFetchers.set(name, fetcher);
    }
    return fetcher;
  };
  let updateGateway: ((supergraphSdl: string) => void) | undefined;
  const requirementVariants = requirementVariantsCorrection(plannedSupergraphSdl);
  const refuseUnplanned = refuseUnplannedRootFields();
  const gateway = new ApolloGateway({
    // A hook rather than the text, so that the supergraph can be replaced while serving.
    supergraphSdl: async ({ update }) => {
      updateGateway = update;
      return { supergraphSdl: plannedSupergraphSdl };
    },
    // Both corrections of a new plan (ADR 0026): the first rewrites it, the second reads it.
    experimental_didResolveQueryPlan: (resolved) => {
      requirementVariants.didResolveQueryPlan(resolved);
      refuseUnplanned(resolved);
    },
    logger: logger.child({ component: 'gateway' }),
    buildService: ({ name, url }) =>
      new SubgraphDataSource(
        name,
        urlOf.get(name) ?? url ?? '',
        internalToken,
        subgraphFetcher(name),
      ),
  });

  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) =>
    requirementVariants.supergraphChanged(coreSupergraphSdl),
  );

  const requestLogging: ApolloServerPlugin<RouterContext> = {
    async requestDidStart() {
      const started = performance.now();
      return {
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) errorLoggers.set(error, contextValue.logger);
        },
        async willSendResponse({ contextValue, operationName, errors }) {
          const durationMs = Math.round(performance.now() - started);
          if (errors?.length) {
            // A transport failure reaches this hook as a plain Error, without extensions.
            const codes = errors.map(
              (error: { extensions?: GraphQLError['extensions'] }) =>
                error.extensions?.code ?? 'INTERNAL_SERVER_ERROR',
            );
            contextValue.logger.info(
              { operationName, durationMs, codes },
              'served a GraphQL operation with errors',
            );
          } else if (logger.isLevelEnabled('debug')) {
            contextValue.logger.debug({ operationName, durationMs }, 'served a GraphQL operation');
          }
        },
      };
    },
  };

  const apollo = new ApolloServer<RouterContext>({
    gateway: aliasRequiredFieldConflicts(gateway, plannedSupergraphSdl),
    logger: logger.child({ component: 'apollo' }),
    formatError,
    includeStacktraceInErrorResponses: false,
    // Refused by our own plugin when turned off, with a code of its own (INTROSPECTION_DISABLED).
    introspection: true,
    // Done by our own middleware (csrfPrevention), with a code of its own (CSRF_PREVENTED).
    csrfPrevention: false,
    // Done by our own middleware (protection/persisted-documents), with the trusted documents.
    persistedQueries: false,
    // The process owner (main.ts or the embedded launcher) decides when to stop.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      graphqlOverHttp(),
      ...(metrics ? [metrics.plugin<RouterContext>()] : []),
      ...(tracer ? [operationSpanPlugin<RouterContext>()] : []),
      ...(options.introspection === false ? [introspectionDisabled<RouterContext>()] : []),
      requestLogging,
      queryLimitsPlugin(queryLimits),
      subscriptionsNeedAStream(graphqlUrl),
      {
        // Replaces Apollo's CDN-loaded landing page on GET /graphql from a browser.
        async serverWillStart() {
          return {
            async renderLandingPage() {
              return { html: async () => landingPageHtml(graphqlUrl()) };
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  const subscriptions = attachSubscriptions({
    httpServer,
    path: GRAPHQL_PATH,
    supergraphSdl: plannedSupergraphSdl,
    subgraphUrls: Object.fromEntries(urlOf),
    jwtSecret,
    internalToken,
    logger,
    queryLimits,
    subgraphFetcher,
    guardSocketOperations: (start) => protection.guardSocketOperations(start),
    ...options.subscriptions,
    executeOperation: async (request, caller) => {
      const contextValue = routerContext(logger, {
        requestId: requestIdFrom(undefined),
        trace: traceFrom(undefined),
        caller,
      });
      const response = await apollo.executeOperation(request, { contextValue });
      return response.body.kind === 'single'
        ? response.body.singleResult
        : { errors: [{ message: 'Incremental delivery is not supported over WebSocket.' }] };
    },
  });

  metrics?.watchSubscriptions(subscriptions.stats);
  const reloadPlannedSupergraph = supergraphReloader({
    overrides: options.subgraphUrls ?? {},
    urlOf,
    prepareSubscriptions: (sdl, urls) => subscriptions.prepareSupergraph(sdl, urls),
    updateGateway: (sdl) => {
      if (!updateGateway) throw new Error('the gateway has not loaded its first supergraph');
      updateGateway(sdl);
    },
    logger,
  });
  // A reloaded supergraph is planned the way the first one was (ADR 0026).
  const reloadSupergraph = (sdl: string, source: string) =>
    reloadPlannedSupergraph(resolvableKeysFirst(sdl), source);
  const supergraphWatch =
    options.supergraphPath === undefined
      ? undefined
      : watchSupergraph(options.supergraphPath, {
          initialSdl: supergraphSdl,
          logger,
          onChange: (sdl) => void reloadSupergraph(sdl, options.supergraphPath ?? ''),
        });

  app.use((req, res, next) => {
    const requestId = requestIdFrom(single(req.headers[REQUEST_ID_HEADER]));
    const traceparent = single(req.headers[TRACEPARENT_HEADER]);
    const trace =
      tracer && req.path === GRAPHQL_PATH
        ? startOperationSpan(tracer, traceparent, res)
        : traceFrom(traceparent);
    scopes.set(
      req,
      routerContext(logger, {
        requestId,
        trace,
        caller: undefined,
        clientAddress: req.socket.remoteAddress,
      }),
    );
    res.setHeader(REQUEST_ID_HEADER, requestId);
    next();
  });

  app.get('/', (_req, res) => {
    res.type('html').send(landingPageHtml(graphqlUrl()));
  });
  // Browsers ask for it on every page; an empty answer keeps their consoles free of 404s.
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  if (metrics) {
    app.get('/metrics', async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  }
  app.get('/ready', async (req, res) => {
    const readiness = await checkSubgraphs(endpoints, options.readinessTimeoutMs ?? 2000);
    if (!readiness.ready) {
      scopes
        .get(req)
        ?.logger.warn({ subgraphs: readiness.subgraphs }, 'not ready: a subgraph is down');
    }
    res
      .status(readiness.ready ? 200 : 503)
      .json({ status: readiness.ready ? 'ready' : 'unavailable', subgraphs: readiness.subgraphs });
  });
  app.use(graphiqlRoutes(GRAPHQL_PATH));
  app.use(
    GRAPHQL_PATH,
    csrfPrevention((code) => metrics?.countRefusedRequest(code)),
    ...protection.beforeBody,
    express.json({ limit: options.maxBodyBytes ?? 1_000_000 }),
    ...protection.afterBody,
    serveMultipartSubscriptions(subscriptions.http, logger),
    serveEventStreams(subscriptions.http, logger),
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<RouterContext> => {
        const scope = scopes.get(req);
        if (!scope) throw new Error('request scope missing: the scope middleware must run first');
        try {
          const caller = await authenticate(req.headers.authorization, jwtSecret);
          return caller ? routerContext(logger, { ...scope, caller }) : scope;
        } catch (error) {
          scope.logger.info(
            { reason: (error as Error).message },
            'rejected a request with an invalid bearer token',
          );
          throw error;
        }
      },
    }),
  );
  app.use(rejectUnreadableBody(logger));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  port = (httpServer.address() as AddressInfo).port;
  logger.info(
    { url: graphqlUrl(), subgraphs: Object.fromEntries(urlOf) },
    `router is serving the supergraph at ${graphqlUrl()}`,
  );

  return {
    url: graphqlUrl(),
    port,
    httpServer,
    subscriptions,
    reloadSupergraph,
    stop: async () => {
      supergraphWatch?.close();
      // Open sockets would keep the HTTP server from closing, so they go first.
      await subscriptions.close();
      await apollo.stop();
      subgraphConnections.close();
      await protection.close();
      logger.info('router stopped');
    },
  };
};

/**
 * Bodies that cannot be read (too large, not JSON) never reach Apollo; answer
 * them in the GraphQL error shape rather than with Express's HTML error page.
 */
const rejectUnreadableBody =
  (logger: Logger): ErrorRequestHandler =>
  (error: Error & { status?: unknown; type?: unknown; limit?: unknown }, _req, res, next) => {
    if (res.headersSent) return next(error);
    const format = formatRouterError(logger);
    const respond = (status: number, message: string, code: string, cause: unknown) => {
      res.status(status).json({ errors: [format({ message, extensions: { code } }, cause)] });
    };
    const clientError = new GraphQLError(error.message);
    if (error.type === 'entity.too.large') {
      const limit = `The request body is larger than the limit of ${String(error.limit)} bytes.`;
      return respond(413, limit, 'BAD_REQUEST', clientError);
    }
    if (error.type === 'entity.parse.failed') {
      const notJson = 'The request body is not valid JSON: send the GraphQL request as JSON.';
      return respond(400, notJson, 'BAD_REQUEST', clientError);
    }
    if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
      return respond(
        error.status,
        `The request body could not be read: ${error.message}`,
        'BAD_REQUEST',
        clientError,
      );
    }
    // Logged in full by the formatter; the client sees only that something failed.
    return respond(500, error.message, 'INTERNAL_SERVER_ERROR', error);
  };
