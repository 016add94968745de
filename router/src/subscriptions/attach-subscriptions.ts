import type http from 'node:http';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Duplex } from 'node:stream';
import { GRAPHQL_TRANSPORT_WS_PROTOCOL, CloseCode } from 'graphql-ws';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import {
  defaultQueryLimits,
  rejectUpgrade,
  type Logger,
  type QueryLimits,
} from '@simple-securities/service-kit';
import { connectionAuthenticator } from './authenticate-connection.js';
import {
  ClientConnection,
  type ConnectionHost,
  type ConnectionLimits,
  type OperationStarter,
} from './client-connection.js';
import { HttpStreams, type ReservationLimits } from './http-streams.js';
import { FanOutHub } from './fan-out.js';
import type { DeliveryCounters } from './frame-writer.js';
import { keepAlive } from './keep-alive.js';
import { SubscriptionPlanner } from './plan-subscription.js';
import { EventResolver } from './resolve-event.js';
import { operationStarter, type ExecuteOperation } from './start-operation.js';
import { UpstreamPool } from './upstream.js';

export interface SubscriptionLimits extends ConnectionLimits, ReservationLimits {
  /** Interval of WebSocket pings; a client that misses one is disconnected. */
  readonly keepAliveMs: number;
  /**
   * Interval of heartbeats on HTTP streams (an SSE comment, a multipart `{}`), as
   * Apollo Router sends them: well under the idle timeouts of common proxies.
   */
  readonly httpHeartbeatMs: number;
  /** Largest message a client may send; a larger one closes its socket with 1009. */
  readonly maxMessageBytes: number;
  readonly upstreamRetryAttempts: number;
  readonly upstreamRetryBaseDelayMs: number;
}

export const defaultSubscriptionLimits: SubscriptionLimits = {
  connectionInitWaitTimeoutMs: 3_000,
  highWaterMarkBytes: 256 * 1024,
  slowConsumerGraceMs: 30_000,
  maxSubscriptionsPerConnection: 100,
  keepAliveMs: 12_000,
  httpHeartbeatMs: 5_000,
  maxMessageBytes: 256 * 1024,
  upstreamRetryAttempts: 8,
  upstreamRetryBaseDelayMs: 250,
  reservationTimeoutMs: 30_000,
  maxPendingReservations: 1_000,
};

export interface SubscriptionOptions {
  readonly httpServer: http.Server;
  /** Where clients connect; the same path as HTTP GraphQL. */
  readonly path?: string;
  readonly supergraphSdl: string;
  /** Subgraph URLs by name; by default those in the supergraph. */
  readonly subgraphUrls?: Readonly<Record<string, string>>;
  readonly jwtSecret: string;
  readonly internalToken: string;
  readonly logger: Logger;
  /**
   * Root fields of `Subscription` whose events are the same for everyone (prices).
   * They reach the subgraph without a caller and are shared by all clients; every
   * other subscription carries its caller and is shared only between that caller's
   * identical subscriptions.
   */
  readonly publicSubscriptionFields?: readonly string[];
  /** Accept connections without a token (they see only what subgraphs give anonymous callers). Default true. */
  readonly allowAnonymous?: boolean;
  /** Runs queries and mutations sent over the socket; without it they are refused. */
  readonly executeOperation?: ExecuteOperation;
  readonly limits?: Partial<SubscriptionLimits>;
  /** The same bounds as HTTP operations get. */
  readonly queryLimits?: QueryLimits;
  /**
   * How entity fetches that complete an event reach a subgraph: the router passes
   * the one its queries use (deadline, circuit breaker, metrics); the gateway's
   * stock fetcher otherwise.
   */
  readonly subgraphFetcher?: (subgraph: string) => RemoteGraphQLDataSource['fetcher'];
  /**
   * Wraps how operations sent over graphql-ws start (e.g. to rate-limit them).
   * Event streams are HTTP requests, judged before they get here.
   */
  readonly guardSocketOperations?: (start: OperationStarter) => OperationStarter;
}

export interface SubscriptionStats extends DeliveryCounters {
  connections: number;
  subscriptions: number;
  upstreamSubscriptions: number;
  upstreamEvents: number;
  upstreamEventsShed: number;
}

export interface SubscriptionEndpoint {
  stats(): SubscriptionStats;
  /**
   * Operations streamed over plain HTTP (server-sent events, multipart), for
   * the caller of a request's `Authorization` header as a graphql-ws
   * `connection_init` would be: same limits, same sharing, same privacy.
   */
  readonly http: HttpStreams;
  /**
   * Checks that subscriptions can be planned over `supergraphSdl` (throwing,
   * changing nothing, when they cannot) and answers the function that serves
   * it: new operations are planned against it, running subscriptions keep the
   * plan they started with.
   */
  prepareSupergraph(
    supergraphSdl: string,
    subgraphUrls?: Readonly<Record<string, string>>,
  ): () => void;
  /** Closes every client socket (1001) and stream, and every upstream subscription. */
  close(): Promise<void>;
}

/**
 * Serves GraphQL subscriptions for the supergraph over graphql-ws on the router's
 * HTTP server: the upgrade, the parts each connection needs, stats and shutdown.
 * See docs/adr/0004-federated-subscriptions.md for the design.
 */
export const attachSubscriptions = (options: SubscriptionOptions): SubscriptionEndpoint => {
  const path = options.path ?? '/graphql';
  const limits: SubscriptionLimits = { ...defaultSubscriptionLimits, ...options.limits };
  const logger = options.logger.child({ component: 'subscriptions' });
  let planner = new SubscriptionPlanner(options.supergraphSdl);
  const subgraphUrls = new Map([
    ...planner.subgraphUrls,
    ...Object.entries(options.subgraphUrls ?? {}),
  ]);
  const resolver = new EventResolver(
    subgraphUrls,
    options.internalToken,
    logger,
    options.subgraphFetcher,
  );
  const upstream = new UpstreamPool({
    internalToken: options.internalToken,
    logger,
    retryAttempts: limits.upstreamRetryAttempts,
    retryBaseDelayMs: limits.upstreamRetryBaseDelayMs,
  });
  const hub = new FanOutHub({
    upstream,
    resolver,
    subgraphUrl: (name) => {
      const url = subgraphUrls.get(name);
      if (!url) throw new Error(`No URL is configured for the ${name} subgraph.`);
      return url;
    },
    logger,
  });
  const connections = new Set<ClientConnection>();
  const counters: DeliveryCounters = { delivered: 0, conflated: 0, slowConsumersClosed: 0 };
  const authenticate = connectionAuthenticator({
    jwtSecret: options.jwtSecret,
    allowAnonymous: options.allowAnonymous ?? true,
  });
  const start = operationStarter({
    planner: () => planner,
    hub,
    queryLimits: options.queryLimits ?? defaultQueryLimits,
    publicFields: new Set(options.publicSubscriptionFields ?? []),
    executeOperation: options.executeOperation,
    logger,
  });

  const host: ConnectionHost = {
    limits,
    counters,
    logger,
    authenticate,
    start: options.guardSocketOperations?.(start) ?? start,
    forget: (connection) => connections.delete(connection),
  };
  const httpStreams = new HttpStreams(
    {
      highWaterMarkBytes: limits.highWaterMarkBytes,
      heartbeatMs: limits.httpHeartbeatMs,
      maxOperationsPerStream: limits.maxSubscriptionsPerConnection,
      counters,
      logger,
      start,
    },
    limits,
    authenticate,
    logger,
  );

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxMessageBytes,
    // Events are written as ready-made frames beside `ws` (frame-writer.ts);
    // with compression `ws` could hold a frame back while it deflates.
    perMessageDeflate: false,
    handleProtocols: (protocols) =>
      protocols.has(GRAPHQL_TRANSPORT_WS_PROTOCOL) ? GRAPHQL_TRANSPORT_WS_PROTOCOL : false,
  });
  const onUpgrade = (request: http.IncomingMessage, stream: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== path) {
      rejectUpgrade(stream, 404, logger);
      return;
    }
    wss.handleUpgrade(request, stream, head, (socket: WebSocket) => {
      if (socket.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) {
        socket.on('error', (error) =>
          logger.info({ reason: error.message }, 'a refused WebSocket failed while closing'),
        );
        socket.close(CloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
        return;
      }
      connections.add(new ClientConnection(socket, stream, host));
    });
  };
  options.httpServer.on('upgrade', onUpgrade);
  const pinging = keepAlive(connections, limits.keepAliveMs);

  logger.info(
    { path, subgraphs: Object.fromEntries(subgraphUrls) },
    'serving subscriptions over graphql-ws',
  );

  return {
    http: httpStreams,
    prepareSupergraph: (supergraphSdl, urls = {}) => {
      const next = new SubscriptionPlanner(supergraphSdl, planner.generation + 1);
      return () => {
        for (const [name, url] of [...next.subgraphUrls, ...Object.entries(urls)]) {
          subgraphUrls.set(name, url);
        }
        resolver.useSubgraphs(subgraphUrls);
        planner = next;
      };
    },
    stats: () => {
      let subscriptions = httpStreams.subscriptionCount;
      for (const connection of connections) subscriptions += connection.subscriptionCount;
      return {
        ...counters,
        connections: connections.size + httpStreams.count,
        subscriptions,
        upstreamSubscriptions: hub.upstreamSubscriptions,
        ...hub.counters,
      };
    },
    close: async () => {
      pinging.stop();
      options.httpServer.off('upgrade', onUpgrade);
      for (const connection of [...connections])
        connection.close(1001, 'The router is shutting down');
      httpStreams.close();
      hub.close();
      await upstream.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
};
