import { composeServices } from '@apollo/composition';
import { pino } from 'pino';
import {
  startSubgraphServer,
  type RunningService,
  type SubgraphDefinition,
} from '@simple-securities/service-kit';
import { startRouter, type RunningRouter } from '../../src/index.js';

/** The supergraph of some subgraphs, each reached at its URL; composition errors throw. */
export const composeSupergraph = (
  subgraphs: readonly Pick<SubgraphDefinition, 'name' | 'typeDefs'>[],
  urlOf: (name: string) => string,
): string => {
  const composed = composeServices(
    subgraphs.map(({ name, typeDefs }) => ({ name, typeDefs, url: urlOf(name) })),
  );
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  return composed.supergraphSdl;
};

export interface FederatedGraph {
  readonly router: RunningRouter;
  /** Posts one operation (answer in `application/json` unless `accept` says otherwise); the status and the parsed answer. */
  query(
    query: string,
    options?: { variables?: Record<string, unknown>; accept?: string },
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

/** Starts the subgraphs on free ports and our router in front of their supergraph. */
export const startFederatedGraph = async (
  subgraphs: readonly SubgraphDefinition[],
): Promise<FederatedGraph> => {
  const quiet = pino({ level: 'silent' });
  const internalToken = 'federated-graph-internal-token';
  const running = new Map<string, RunningService>();
  try {
    for (const subgraph of subgraphs) {
      running.set(
        subgraph.name,
        await startSubgraphServer(subgraph, { port: 0, logger: quiet, internalToken }),
      );
    }
    const router = await startRouter({
      supergraphSdl: composeSupergraph(subgraphs, (name) => running.get(name)?.url ?? ''),
      logger: quiet,
      jwtSecret: 'federated-graph-jwt-secret-0123456789abcdef',
      internalToken,
      port: 0,
    });
    return {
      router,
      query: async (query, { variables, accept = 'application/json' } = {}) => {
        const response = await fetch(router.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept },
          body: JSON.stringify({ query, variables }),
        });
        return {
          status: response.status,
          body: (await response.json()) as Record<string, unknown>,
        };
      },
      stop: async () => {
        await router.stop();
        await Promise.all([...running.values()].map((subgraph) => subgraph.stop()));
      },
    };
  } catch (error) {
    await Promise.all([...running.values()].map((subgraph) => subgraph.stop()));
    throw error;
  }
};
