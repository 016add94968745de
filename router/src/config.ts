import { z } from 'zod';
import type { RouterOptions } from './router.js';
import {
  accessTokenConfig,
  commonConfig,
  loadConfig,
  port,
  redisConfig,
} from '@simple-securities/service-kit';
import { defaultRateLimitPolicy } from './protection/rate-limits.js';
import { DEFAULT_APQ_CACHE_CHARACTERS } from './protection/edge-protection.js';

/** Market data: prices and candles are public. */
export const DEFAULT_PUBLIC_SUBSCRIPTION_FIELDS = [
  'priceTicks',
  'klineUpdates',
  'stockPriceTicks',
  'stockKlineUpdates',
] as const;

const url = (fallback: string) => z.url({ protocol: /^https?$/ }).default(fallback);
const positive = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Everything the router reads from the environment, with the defaults `npm start` uses. */
export const routerConfig = {
  ...commonConfig,
  ...redisConfig,
  JWT_SECRET: accessTokenConfig.JWT_SECRET,
  PORT: port(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Where to reach each subgraph; overrides the URLs written in the supergraph. */
  CORE_URL: url('http://127.0.0.1:4001/graphql'),
  CRYPTO_URL: url('http://127.0.0.1:4002/graphql'),
  STOCK_URL: url('http://127.0.0.1:4003/graphql'),
  NOTIFICATION_URL: url('http://127.0.0.1:4004/graphql'),
  /** Optional path of the supergraph SDL; the committed `schema/supergraph.graphql` by default. */
  SUPERGRAPH_PATH: z.string().min(1).optional(),
  MAX_BODY_BYTES: positive(1_000_000),
  MAX_QUERY_DEPTH: positive(15),
  MAX_QUERY_ALIASES: positive(30),
  MAX_QUERY_FIELDS: positive(1000),
  /** Fields an answer may hold, list sizes (first/last/limit) multiplied out. */
  MAX_QUERY_COST: positive(50_000),
  /** `production` turns introspection off unless ALLOW_INTROSPECTION says otherwise. */
  NODE_ENV: z.string().optional(),
  /** Whether `__schema` and `__type` are answered; by default everywhere but in production. */
  ALLOW_INTROSPECTION: z.stringbool().optional(),
  /** How long a call to a subgraph may take before the client gets SUBGRAPH_UNAVAILABLE. */
  SUBGRAPH_TIMEOUT_MS: positive(10_000),
  /** Per-subgraph exceptions to SUBGRAPH_TIMEOUT_MS, e.g. `core=2000,stock=5000`. */
  SUBGRAPH_TIMEOUTS: z
    .string()
    .default('')
    .transform((list, context) => {
      const timeouts: Record<string, number> = {};
      for (const entry of list
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)) {
        const [, name, ms] = /^([\w-]+)=(\d+)$/.exec(entry) ?? [];
        if (!name || !ms || Number(ms) <= 0) {
          context.addIssue({
            code: 'custom',
            message: `"${entry}" is not subgraph=milliseconds (e.g. core=2000)`,
          });
          return z.NEVER;
        }
        timeouts[name] = Number(ms);
      }
      return timeouts;
    }),
  /** Failures in a row after which a subgraph's calls are refused at once for a while. */
  CIRCUIT_BREAKER_FAILURES: positive(5),
  /** How long calls to a failing subgraph are refused before one is tried again. */
  CIRCUIT_BREAKER_RESET_MS: positive(5_000),
  /** Serve Prometheus metrics at /metrics. */
  METRICS_ENABLED: z.stringbool().default(true),
  /** How long /ready waits for each subgraph. */
  READINESS_TIMEOUT_MS: positive(2000),
  /**
   * Subscription root fields whose events are the same for everyone (market data):
   * one upstream subscription serves all callers. Comma-separated.
   */
  PUBLIC_SUBSCRIPTION_FIELDS: z
    .string()
    .default(DEFAULT_PUBLIC_SUBSCRIPTION_FIELDS.join(','))
    .transform((list) =>
      list
        .split(',')
        .map((field) => field.trim())
        .filter(Boolean),
    ),
  /** Count requests per client address and per user, and refuse those over the limit (429). */
  RATE_LIMIT_ENABLED: z.stringbool().default(true),
  RATE_LIMIT_PER_ADDRESS: positive(defaultRateLimitPolicy.perAddress),
  RATE_LIMIT_PER_USER: positive(defaultRateLimitPolicy.perUser),
  RATE_LIMIT_WINDOW_MS: positive(defaultRateLimitPolicy.windowMs),
  /** An Apollo persisted query manifest (JSON): operations clients may send by id. */
  PERSISTED_QUERIES_MANIFEST: z.string().min(1).optional(),
  /** Run only the manifest's operations (trusted documents). */
  PERSISTED_QUERIES_ENFORCE: z.stringbool().default(false),
  /** Characters of query text kept for automatic persisted queries; 0 turns them off. */
  APQ_CACHE_CHARACTERS: z.coerce.number().int().min(0).default(DEFAULT_APQ_CACHE_CHARACTERS),
};

export type RouterConfig = ReturnType<typeof loadRouterConfig>;

export const loadRouterConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(routerConfig, env);

/** Introspection is for development: off under NODE_ENV=production unless explicitly allowed. */
export const introspectionOf = (config: RouterConfig): boolean =>
  config.ALLOW_INTROSPECTION ?? config.NODE_ENV !== 'production';

/** The per-subgraph URLs of a configuration, by subgraph name. */
export const subgraphUrlsOf = (config: RouterConfig): Record<string, string> => ({
  core: config.CORE_URL,
  crypto: config.CRYPTO_URL,
  stock: config.STOCK_URL,
  notification: config.NOTIFICATION_URL,
});

/**
 * What a configuration asks of the router besides its address, secrets and
 * subgraph URLs: limits, introspection, timeouts, the breaker, metrics, rate
 * limits, persisted documents. Running alone or in the launcher, the router
 * reads these the same way.
 */
export const edgeOptionsOf = (
  config: RouterConfig,
): Pick<
  RouterOptions,
  | 'limits'
  | 'maxBodyBytes'
  | 'introspection'
  | 'subgraphTimeouts'
  | 'circuitBreaker'
  | 'metrics'
  | 'readinessTimeoutMs'
  | 'subscriptions'
  | 'rateLimits'
  | 'persistedDocuments'
> => ({
  limits: {
    maxDepth: config.MAX_QUERY_DEPTH,
    maxAliases: config.MAX_QUERY_ALIASES,
    maxFields: config.MAX_QUERY_FIELDS,
    maxCost: config.MAX_QUERY_COST,
  },
  maxBodyBytes: config.MAX_BODY_BYTES,
  introspection: introspectionOf(config),
  subgraphTimeouts: { defaultMs: config.SUBGRAPH_TIMEOUT_MS, bySubgraph: config.SUBGRAPH_TIMEOUTS },
  circuitBreaker: {
    failureThreshold: config.CIRCUIT_BREAKER_FAILURES,
    resetAfterMs: config.CIRCUIT_BREAKER_RESET_MS,
  },
  metrics: config.METRICS_ENABLED,
  readinessTimeoutMs: config.READINESS_TIMEOUT_MS,
  subscriptions: { publicSubscriptionFields: config.PUBLIC_SUBSCRIPTION_FIELDS },
  ...(config.RATE_LIMIT_ENABLED
    ? {
        rateLimits: {
          perAddress: config.RATE_LIMIT_PER_ADDRESS,
          perUser: config.RATE_LIMIT_PER_USER,
          windowMs: config.RATE_LIMIT_WINDOW_MS,
          ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
        },
      }
    : {}),
  persistedDocuments: {
    ...(config.PERSISTED_QUERIES_MANIFEST
      ? { manifestPath: config.PERSISTED_QUERIES_MANIFEST }
      : {}),
    enforce: config.PERSISTED_QUERIES_ENFORCE,
    apqCacheCharacters: config.APQ_CACHE_CHARACTERS,
  },
});
