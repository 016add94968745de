import { readFile } from 'node:fs/promises';
import pino from 'pino';
import { openPgliteDatabase, type SqlDatabase } from '@simple-securities/postgres';
import { startStack, type RunningStack, type StackOptions } from '../../tools/src/start/stack.js';

export interface TestStack extends RunningStack {
  readonly database: SqlDatabase;
  /** POSTs a GraphQL operation to the router, with a bearer token when given. */
  graphql<Data = Record<string, unknown>>(
    query: string,
    options?: { variables?: Record<string, unknown>; token?: string },
  ): Promise<{ status: number; body: GraphQLResponse<Data> }>;
  signIn(email: string, password: string): Promise<string>;
  /** Signs up a new user, named `<who>-<n>`, and answers their token and id. */
  signUp(who: string): Promise<{ token: string; user: { id: string } }>;
  close(): Promise<void>;
}

/** The data of a response that must have succeeded; its errors otherwise. */
export const dataOf = <Data>(body: GraphQLResponse<Data>): Data => {
  if (!body.data) throw new Error(`the operation failed: ${JSON.stringify(body.errors)}`);
  return body.data;
};

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { token user { id } } }`;

export interface GraphQLResponse<Data> {
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

const supergraphPath = new URL('../../schema/supergraph.graphql', import.meta.url);

/**
 * The whole supergraph as `npm start` runs it (same launcher code, the committed
 * supergraph), on an in-memory PGlite and free ports. `env` adds to or overrides the
 * settings below; `clockOf` gives a service its own time.
 */
export const startTestStack = async (
  options: { env?: StackOptions['env']; clockOf?: StackOptions['clockOf'] } = {},
): Promise<TestStack> => {
  const database = await openPgliteDatabase();
  const stack = await startStack({
    database,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    supergraphSdl: await readFile(supergraphPath, 'utf8'),
    ports: { router: 0, core: 0, crypto: 0, stock: 0, notification: 0 },
    env: {
      JWT_SECRET: 'e2e-test-jwt-secret-at-least-32-characters',
      JWT_TTL_SECONDS: '600',
      INTERNAL_SERVICE_TOKEN: 'e2e-test-internal-token',
      SEED_DEMO_DATA: 'true',
      FUNDS_GRPC_PORT: '0',
      NOTIFICATION_GRPC_PORT: '0',
      // Webhook tests push to a local HTTP server, and retry after short pauses.
      NOTIFICATION_WEBHOOK_ALLOW_PRIVATE: 'true',
      NOTIFICATION_WEBHOOK_BACKOFF_MS: '20',
      // Stocks trade around the clock so tests do not depend on the time of day.
      STOCK_MARKET_ALWAYS_OPEN: 'true',
      PRICE_FEED_SEED: '7',
      PRICE_TICK_RATE: '5',
      // Every suite sends its requests from 127.0.0.1; tests/e2e/protection.test.ts turns them on.
      RATE_LIMIT_ENABLED: 'false',
      ...options.env,
    },
    clockOf: options.clockOf,
  });

  const graphql: TestStack['graphql'] = async (query, options = {}) => {
    const response = await fetch(stack.router.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        // The spec's own media type: a refused request is a 4xx, not a 200 with errors.
        accept: 'application/graphql-response+json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: JSON.stringify({ query, variables: options.variables ?? {} }),
    });
    return { status: response.status, body: (await response.json()) as never };
  };

  let signedUp = 0;
  return {
    ...stack,
    database,
    graphql,
    async signUp(who) {
      signedUp += 1;
      const name = `${who}-${signedUp}`;
      const { body } = await graphql<{ signUp: { token: string; user: { id: string } } }>(SIGN_UP, {
        variables: {
          input: {
            email: `${name}@example.com`,
            password: `${name}-password`,
            displayName: name,
          },
        },
      });
      return dataOf(body).signUp;
    },
    async signIn(email, password) {
      const { body } = await graphql<{ signIn: { token: string } }>(
        'mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }',
        { variables: { input: { email, password } } },
      );
      if (!body.data?.signIn) throw new Error(`sign-in failed: ${JSON.stringify(body.errors)}`);
      return body.data.signIn.token;
    },
    async close() {
      await stack.stop();
      await database.close();
    },
  };
};
