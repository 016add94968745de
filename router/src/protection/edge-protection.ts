import type { RequestHandler } from 'express';
import {
  InMemoryWindowCounters,
  RedisWindowCounters,
  type Caller,
  type Logger,
  type WindowCounters,
} from '@simple-securities/service-kit';
import type { OperationStarter } from '../subscriptions/index.js';
import { persistedDocumentsOverHttp } from './persisted-documents/persisted-documents-over-http.js';
import { persistedDocumentsOverSockets } from './persisted-documents/persisted-documents-over-sockets.js';
import { RegisteredDocuments } from './persisted-documents/registered-documents.js';
import type { PersistedDocumentsPolicy } from './persisted-documents/resolve-document.js';
import { loadTrustedDocuments } from './persisted-documents/trusted-documents.js';
import { rateLimitRequests } from './rate-limit-requests.js';
import { rateLimitSocketOperations } from './rate-limit-socket-operations.js';
import { RateLimits, type RateLimitPolicy } from './rate-limits.js';

export interface RateLimitOptions extends RateLimitPolicy {
  /** Where the counters live, shared by every router using it; this process's memory when absent. */
  readonly redisUrl?: string;
  /** Put before every Redis key; tests give each router group its own. */
  readonly redisKeyPrefix?: string;
}

export interface PersistedDocumentsOptions {
  /** An Apollo persisted query manifest: the trusted documents. */
  readonly manifestPath?: string;
  /** Run nothing but the manifest's documents (needs `manifestPath`). */
  readonly enforce?: boolean;
  /** Characters of automatically persisted queries kept; 0 turns APQ off. */
  readonly apqCacheCharacters?: number;
}

/** 4 MiB of query text: thousands of typical operations. */
export const DEFAULT_APQ_CACHE_CHARACTERS = 4 * 1024 * 1024;

export interface ProtectionOptions {
  /** Off when absent. */
  readonly rateLimits?: RateLimitOptions;
  /** Automatic persisted queries with the default cache when absent. */
  readonly persistedDocuments?: PersistedDocumentsOptions;
}

/** The router's abuse protection, wired in by `startRouter` (see docs/adr/0022). */
export interface EdgeProtection {
  /** Run on `/graphql` before the body is read: rate limits. */
  readonly beforeBody: RequestHandler[];
  /** Run on `/graphql` once the body is read: persisted documents. */
  readonly afterBody: RequestHandler[];
  /** The same rules for operations started over graphql-ws. */
  guardSocketOperations(start: OperationStarter): OperationStarter;
  close(): Promise<void>;
}

const countersFor = (options: RateLimitOptions, logger: Logger): WindowCounters =>
  options.redisUrl
    ? RedisWindowCounters.connect(options.redisUrl, {
        prefix: options.redisKeyPrefix ?? 'router:rate:',
        logger,
      })
    : new InMemoryWindowCounters();

export const startEdgeProtection = async (
  options: ProtectionOptions,
  {
    logger,
    callerOf,
    onRefused,
  }: {
    readonly logger: Logger;
    readonly callerOf: (authorization: string | undefined) => Promise<Caller | undefined>;
    readonly onRefused: (code: string) => void;
  },
): Promise<EdgeProtection> => {
  const { manifestPath, enforce = false } = options.persistedDocuments ?? {};
  if (enforce && !manifestPath) {
    throw new Error('Trusted documents are enforced, but no manifest is configured.');
  }
  const apqCharacters =
    options.persistedDocuments?.apqCacheCharacters ?? DEFAULT_APQ_CACHE_CHARACTERS;
  const policy: PersistedDocumentsPolicy = {
    trusted: manifestPath ? await loadTrustedDocuments(manifestPath) : undefined,
    enforce,
    registered: enforce || apqCharacters === 0 ? undefined : new RegisteredDocuments(apqCharacters),
  };
  if (policy.trusted) {
    logger.info(
      { manifest: manifestPath, documents: policy.trusted.size, enforce },
      enforce
        ? 'only the trusted documents of the manifest run'
        : 'trusted documents can be sent by id',
    );
  }
  const socketDocuments = persistedDocumentsOverSockets(policy);

  const rateLimitOptions = options.rateLimits;
  if (!rateLimitOptions) {
    return {
      beforeBody: [],
      afterBody: [persistedDocumentsOverHttp(policy, onRefused)],
      guardSocketOperations: socketDocuments,
      close: async () => undefined,
    };
  }
  const counters = countersFor(rateLimitOptions, logger);
  const limits = new RateLimits(counters, rateLimitOptions, logger);
  const socketRateLimits = rateLimitSocketOperations(limits);
  logger.info(
    {
      perAddress: rateLimitOptions.perAddress,
      perUser: rateLimitOptions.perUser,
      windowMs: rateLimitOptions.windowMs,
      store: rateLimitOptions.redisUrl ? 'redis' : 'memory',
    },
    'rate limits are on',
  );
  return {
    beforeBody: [rateLimitRequests(limits, callerOf, onRefused)],
    afterBody: [persistedDocumentsOverHttp(policy, onRefused)],
    // Counted first: a refused document still costs its sender a request.
    guardSocketOperations: (start) => socketRateLimits(socketDocuments(start)),
    close: () => counters.close(),
  };
};
