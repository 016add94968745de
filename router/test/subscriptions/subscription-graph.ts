import { pino } from 'pino';
import { issueAccessToken } from '@simple-securities/service-kit';
import { startRouter, type RouterOptions, type RunningRouter } from '../../src/index.js';
import {
  composeSupergraph,
  startInstrumentsSubgraph,
  startPricesSubgraph,
} from './test-subgraphs.js';

const jwtSecret = 'test-secret-that-is-at-least-32-characters-long';
const internalToken = 'test-internal-token';

/** The whole router (HTTP, graphql-ws, GraphiQL) in front of the `prices` and `instruments` subgraphs. */
export interface SubscriptionGraph {
  readonly router: RunningRouter;
  readonly subgraphUrls: { readonly prices: string; readonly instruments: string };
  /** A signed access token for `userId`, as the identity context would issue it (10 minutes from `issuedAt`). */
  tokenFor(userId: string, issuedAt?: Date): Promise<string>;
  stop(): Promise<void>;
}

export const startSubscriptionGraph = async (
  options: Partial<Pick<RouterOptions, 'supergraphPath' | 'logger'>> & {
    readonly limits?: NonNullable<RouterOptions['subscriptions']>['limits'];
    /** Writes the composed supergraph where `supergraphPath` says before the router starts. */
    readonly writeSupergraph?: (supergraphSdl: string) => Promise<void>;
  } = {},
): Promise<SubscriptionGraph> => {
  const logger = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  const prices = await startPricesSubgraph({ logger, internalToken });
  const instruments = await startInstrumentsSubgraph({ logger, internalToken });
  const supergraphSdl = composeSupergraph({ prices: prices.url, instruments: instruments.url });
  await options.writeSupergraph?.(supergraphSdl);
  const router = await startRouter({
    supergraphSdl,
    ...(options.supergraphPath ? { supergraphPath: options.supergraphPath } : {}),
    logger,
    jwtSecret,
    internalToken,
    port: 0,
    subscriptions: {
      publicSubscriptionFields: ['ticks'],
      ...(options.limits ? { limits: options.limits } : {}),
    },
  });
  return {
    router,
    subgraphUrls: { prices: prices.url, instruments: instruments.url },
    tokenFor: async (userId, issuedAt = new Date()) =>
      (
        await issueAccessToken(
          { userId, roles: [], permissions: [] },
          { secret: jwtSecret, ttlSeconds: 600 },
          issuedAt,
        )
      ).token,
    async stop() {
      await router.stop();
      await prices.stop();
      await instruments.stop();
    },
  };
};
