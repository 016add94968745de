import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { GraphQLError } from 'graphql';
import {
  getVariableValues,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
} from 'graphql';
import { GRAPHQL_TRANSPORT_WS_PROTOCOL, CloseCode, type SubscribePayload } from 'graphql-ws';
import { decodeJwt } from 'jose';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import { DomainError } from '@simple-securities/shared-kernel';
import { verifyAccessToken, type Caller, type Logger } from '@simple-securities/service-kit';
import {
  ClientConnection,
  type ConnectionHost,
  type ConnectionLimits,
  type DeliveryCounters,
} from './client-connection.js';
import { FanOutHub } from './fan-out.js';
import { SubscriptionPlanner, type PreparedOperation } from './plan-subscription.js';
import { EventResolver } from './resolve-event.js';
import { UpstreamPool } from './upstream.js';

export interface SubscriptionLimits extends ConnectionLimits {
  /** Interval of WebSocket pings; a client that misses one is disconnected. */
  readonly keepAliveMs: number;
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
  maxMessageBytes: 256 * 1024,
  upstreamRetryAttempts: 8,
  upstreamRetryBaseDelayMs: 250,
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
  readonly executeOperation?: (
    request: { query: string; variables: Record<string, unknown>; operationName?: string },
    caller: Caller | undefined,
  ) => Promise<FormattedExecutionResult>;
  readonly limits?: Partial<SubscriptionLimits>;
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
  /** Closes every client socket (1001) and every upstream subscription. */
  close(): Promise<void>;
}

const isErrors = (
  value: PreparedOperation | readonly GraphQLError[],
): value is readonly GraphQLError[] => Array.isArray(value);

const BEARER = /^Bearer\s+(\S+)$/i;
/** Connections pinged per event-loop turn. */
const KEEP_ALIVE_SLICE = 256;

const stableJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );

const callerKey = (caller: Caller | undefined) =>
  caller ? `${caller.userId}|${caller.roles.join(',')}|${caller.permissions.join(',')}` : '';

const formatted = (errors: readonly GraphQLError[], code: string): GraphQLFormattedError[] =>
  errors.map((error) => ({
    message: error.message,
    ...(error.locations ? { locations: error.locations } : {}),
    extensions: { code: typeof error.extensions.code === 'string' ? error.extensions.code : code },
  }));

/**
 * Serves GraphQL subscriptions for the supergraph over graphql-ws on the router's
 * HTTP server. See docs/adr/0004-federated-subscriptions.md for the design.
 */
export const attachSubscriptions = (options: SubscriptionOptions): SubscriptionEndpoint => {
  const path = options.path ?? '/graphql';
  const limits: SubscriptionLimits = { ...defaultSubscriptionLimits, ...options.limits };
  const logger = options.logger.child({ component: 'subscriptions' });
  const planner = new SubscriptionPlanner(options.supergraphSdl);
  const subgraphUrls = new Map([
    ...planner.subgraphUrls,
    ...Object.entries(options.subgraphUrls ?? {}),
  ]);
  const upstream = new UpstreamPool({
    internalToken: options.internalToken,
    logger,
    retryAttempts: limits.upstreamRetryAttempts,
    retryBaseDelayMs: limits.upstreamRetryBaseDelayMs,
  });
  const hub = new FanOutHub({
    upstream,
    resolver: new EventResolver(planner, subgraphUrls, options.internalToken, logger),
    subgraphUrl: (name) => {
      const url = subgraphUrls.get(name);
      if (!url) throw new Error(`No URL is configured for the ${name} subgraph.`);
      return url;
    },
    logger,
  });
  const publicFields = new Set(options.publicSubscriptionFields ?? []);
  const connections = new Set<ClientConnection>();
  const counters: DeliveryCounters = { delivered: 0, conflated: 0, slowConsumersClosed: 0 };

  const authenticate: ConnectionHost['authenticate'] = async (params) => {
    const header = params?.authorization ?? params?.Authorization;
    if (header === undefined || header === null || header === '') {
      if (options.allowAnonymous === false) {
        throw new DomainError(
          'UNAUTHENTICATED',
          'Sign in first: send connectionParams.authorization = "Bearer <token>".',
        );
      }
      return { caller: undefined, expiresAt: undefined };
    }
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (!token) {
      throw new DomainError(
        'UNAUTHENTICATED',
        'connectionParams.authorization must be "Bearer <token>".',
      );
    }
    const caller = await verifyAccessToken(token, options.jwtSecret);
    const { exp } = decodeJwt(token);
    return { caller, expiresAt: exp === undefined ? undefined : exp * 1000 };
  };

  const start = (
    connection: ClientConnection,
    id: string,
    payload: SubscribePayload,
  ): (() => void) => {
    const prepared = planner.prepare(payload.query, payload.operationName ?? undefined);
    if (isErrors(prepared)) {
      connection.error(id, formatted(prepared, 'GRAPHQL_VALIDATION_FAILED'));
      return () => undefined;
    }
    const rawVariables = payload.variables ?? {};
    const coerced = getVariableValues(
      planner.schema,
      prepared.operation.variableDefinitions ?? [],
      rawVariables,
    );
    if (coerced.errors) {
      connection.error(id, formatted(coerced.errors, 'BAD_USER_INPUT'));
      return () => undefined;
    }
    const plan = prepared.subscription;
    if (!plan) return runOnce(connection, id, payload, rawVariables);
    const isPublic = publicFields.has(plan.rootField);
    const caller = isPublic ? undefined : connection.caller;
    return hub.subscribe(
      {
        key: `${prepared.canonical}\u0000${stableJson(rawVariables)}\u0000${isPublic ? '*' : callerKey(caller)}`,
        plan,
        variables: rawVariables,
        identity: { caller },
      },
      connection.subscriber(id),
    );
  };

  const runOnce = (
    connection: ClientConnection,
    id: string,
    payload: SubscribePayload,
    variables: Record<string, unknown>,
  ): (() => void) => {
    const execute = options.executeOperation;
    if (!execute) {
      connection.error(id, [
        {
          message:
            'This socket serves subscriptions; send queries and mutations as HTTP POST to /graphql.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ]);
      return () => undefined;
    }
    let stopped = false;
    execute(
      {
        query: payload.query,
        variables,
        ...(payload.operationName ? { operationName: payload.operationName } : {}),
      },
      connection.caller,
    )
      .then((result) => {
        if (stopped) return;
        connection.result(id, JSON.stringify(result));
        connection.complete(id);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'an operation sent over a socket failed');
        connection.error(id, [
          {
            message: 'Something went wrong on our side. Try again.',
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          },
        ]);
      });
    return () => {
      stopped = true;
    };
  };

  const host: ConnectionHost = {
    limits,
    counters,
    authenticate,
    start,
    forget: (connection) => connections.delete(connection),
  };

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxMessageBytes,
    // Events are written as ready-made frames beside `ws` (client-connection.ts);
    // with compression `ws` could hold a frame back while it deflates.
    perMessageDeflate: false,
    handleProtocols: (protocols) =>
      protocols.has(GRAPHQL_TRANSPORT_WS_PROTOCOL) ? GRAPHQL_TRANSPORT_WS_PROTOCOL : false,
  });
  const onUpgrade = (request: http.IncomingMessage, stream: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== path) return;
    wss.handleUpgrade(request, stream, head, (socket: WebSocket) => {
      if (socket.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) {
        socket.close(CloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
        return;
      }
      connections.add(new ClientConnection(socket, stream, host));
    });
  };
  options.httpServer.on('upgrade', onUpgrade);

  // Pinging every connection at once would hold up deliveries for the whole
  // sweep (about 80 ms at 10,000 connections), so it yields between slices.
  const pingAll = async () => {
    let inSlice = 0;
    for (const connection of [...connections]) {
      // Closed while an earlier slice yielded.
      if (!connections.has(connection)) continue;
      if (!connection.alive) connection.socket.terminate();
      else {
        connection.alive = false;
        connection.socket.ping();
      }
      if (++inSlice === KEEP_ALIVE_SLICE) {
        inSlice = 0;
        await yieldToEventLoop();
      }
    }
  };
  const keepAlive = setInterval(() => void pingAll(), limits.keepAliveMs);
  keepAlive.unref();

  logger.info(
    { path, subgraphs: Object.fromEntries(subgraphUrls) },
    'serving subscriptions over graphql-ws',
  );

  return {
    stats: () => {
      let subscriptions = 0;
      for (const connection of connections) subscriptions += connection.subscriptionCount;
      return {
        ...counters,
        connections: connections.size,
        subscriptions,
        upstreamSubscriptions: hub.upstreamSubscriptions,
        ...hub.counters,
      };
    },
    close: async () => {
      clearInterval(keepAlive);
      options.httpServer.off('upgrade', onUpgrade);
      for (const connection of [...connections])
        connection.close(1001, 'The router is shutting down');
      hub.close();
      await upstream.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
};
