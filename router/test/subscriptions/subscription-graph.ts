import { pino } from 'pino';
import { issueAccessToken } from '@simple-securities/service-kit';
import { startRouter, type RunningRouter } from '../../src/index.js';
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
  /** A signed access token for `userId`, as the identity context would issue it. */
  tokenFor(userId: string): Promise<string>;
  stop(): Promise<void>;
}

export const startSubscriptionGraph = async (): Promise<SubscriptionGraph> => {
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  const prices = await startPricesSubgraph({ logger, internalToken });
  const instruments = await startInstrumentsSubgraph({ logger, internalToken });
  const router = await startRouter({
    supergraphSdl: composeSupergraph({ prices: prices.url, instruments: instruments.url }),
    logger,
    jwtSecret,
    internalToken,
    port: 0,
    subscriptions: { publicSubscriptionFields: ['ticks'] },
  });
  return {
    router,
    tokenFor: async (userId) =>
      (
        await issueAccessToken(
          { userId, roles: [], permissions: [] },
          { secret: jwtSecret, ttlSeconds: 600 },
        )
      ).token,
    async stop() {
      await router.stop();
      await prices.stop();
      await instruments.stop();
    },
  };
};
