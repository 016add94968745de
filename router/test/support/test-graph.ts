import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'graphql';
import { pino } from 'pino';
import { DomainError } from '@simple-securities/shared-kernel';
import {
  issueAccessToken,
  requireCaller,
  startSubgraphServer,
  type RequestContext,
  type RunningService,
} from '@simple-securities/service-kit';
import { startRouter, type RouterOptions, type RunningRouter } from '../../src/index.js';
import { composeSupergraph } from './federated-graph.js';

/**
 * A two-subgraph graph for router tests: `accounts` owns User, `notes` extends
 * it. Resolvers echo what reached them (caller, request id, traceparent), so
 * tests can see exactly what the router forwarded.
 */
export const JWT_SECRET = 'router-test-jwt-secret-0123456789abcdef';
export const INTERNAL_TOKEN = 'router-test-internal-token';

const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])`;
const HOP = `type Hop @shareable { requestId: String! traceparent: String }`;

const users = new Map([
  ['u1', { id: 'u1', name: 'Ada' }],
  ['u2', { id: 'u2', name: 'Grace' }],
]);
const notes = new Map([['u1', ['buy BTC', 'sell AAPL']]]);

const hop = (_: unknown, __: unknown, context: RequestContext) => ({
  requestId: context.requestId,
  traceparent: context.traceparent,
});

const accounts = {
  name: 'accounts',
  typeDefs: parse(`
    ${FEDERATION}
    ${HOP}
    type Query {
      user(id: ID!): User
      "The signed-in user; UNAUTHENTICATED without a caller."
      me: User!
      "The caller id the subgraph received, or null."
      whoAmI: String
      accountsHop: Hop!
    }
    type User @key(fields: "id") { id: ID! name: String! bestFriend: User }
  `),
  resolvers: {
    Query: {
      user: (_: unknown, { id }: { id: string }) => users.get(id) ?? null,
      me: (_: unknown, __: unknown, context: RequestContext) =>
        users.get(requireCaller(context.caller).userId),
      whoAmI: (_: unknown, __: unknown, context: RequestContext) => context.caller?.userId ?? null,
      accountsHop: hop,
    },
    User: {
      __resolveReference: ({ id }: { id: string }) => users.get(id),
      bestFriend: ({ id }: { id: string }) => users.get(id === 'u1' ? 'u2' : 'u1'),
    },
  },
};

const notesSubgraph = {
  name: 'notes',
  typeDefs: parse(`
    ${FEDERATION}
    ${HOP}
    type Query {
      notesHop: Hop!
      missingNote: String
      brokenNote: String
      slowNote(ms: Int!): String
    }
    type User @key(fields: "id") { id: ID! notes: [String!]! }
  `),
  resolvers: {
    Query: {
      notesHop: hop,
      missingNote: () => {
        throw new DomainError('NOT_FOUND', 'There is no note with id n-404.', { noteId: 'n-404' });
      },
      brokenNote: () => {
        throw new Error('connection to db-internal.example:5432 refused');
      },
      slowNote: async (_: unknown, { ms }: { ms: number }) => {
        await sleep(ms);
        return `waited ${ms} ms`;
      },
    },
    User: {
      notes: ({ id }: { id: string }) => notes.get(id) ?? [],
    },
  },
};

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface TestGraph {
  readonly router: RunningRouter;
  readonly subgraphs: Record<'accounts' | 'notes', RunningService>;
  /** Every line the router logged, parsed. */
  readonly routerLogs: LogLine[];
  /** The composed supergraph, e.g. for a router started in another process. */
  readonly supergraphSdl: string;
  post(
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; body: GraphQLBody }>;
  tokenFor(userId: string, options?: { issuedAt?: Date; secret?: string }): Promise<string>;
  stop(): Promise<void>;
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
}

export const startTestGraph = async (
  routerOptions: Partial<RouterOptions> = {},
): Promise<TestGraph> => {
  const quiet = pino({ level: 'silent' });
  const serverOptions = { port: 0, logger: quiet, internalToken: INTERNAL_TOKEN };
  const running = {
    accounts: await startSubgraphServer(accounts, serverOptions),
    notes: await startSubgraphServer(notesSubgraph, serverOptions),
  };
  const supergraphSdl = composeSupergraph(
    [accounts, notesSubgraph],
    (name) => running[name as keyof typeof running].url,
  );

  const routerLogs: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void routerLogs.push(JSON.parse(line) as LogLine) },
  );
  const router = await startRouter({
    supergraphSdl,
    logger,
    jwtSecret: JWT_SECRET,
    internalToken: INTERNAL_TOKEN,
    port: 0,
    ...routerOptions,
  }).catch(async (error: unknown) => {
    // A router that refuses to start must not leave its subgraphs listening.
    await Promise.all(Object.values(running).map((subgraph) => subgraph.stop()));
    throw error;
  });

  return {
    router,
    subgraphs: running,
    routerLogs,
    supergraphSdl,
    post: async (body, headers = {}) => {
      const response = await fetch(router.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return {
        status: response.status,
        headers: response.headers,
        body: (await response.json()) as GraphQLBody,
      };
    },
    tokenFor: async (userId, { issuedAt, secret = JWT_SECRET } = {}) =>
      (
        await issueAccessToken(
          { userId, roles: ['user'], permissions: ['notes:read'] },
          { secret, ttlSeconds: 60 },
          issuedAt,
        )
      ).token,
    stop: async () => {
      await router.stop();
      await Promise.all(Object.values(running).map((subgraph) => subgraph.stop()));
    },
  };
};
