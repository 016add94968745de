import type { Logger } from '@simple-securities/service-kit';
import { resolveSubgraphUrls } from './supergraph.js';

export interface SupergraphReloadTargets {
  /** URLs configured by subgraph name; they win over the supergraph's, as at start. */
  readonly overrides: Readonly<Record<string, string | undefined>>;
  /** Where the gateway's data sources reach each subgraph; updated before the gateway rebuilds them. */
  readonly urlOf: Map<string, string>;
  /** Validates the supergraph for subscriptions; the function returned swaps it in. */
  prepareSubscriptions(supergraphSdl: string, subgraphUrls: Record<string, string>): () => void;
  /** The gateway's update callback (throws, changing nothing, on a supergraph it cannot serve). */
  updateGateway(supergraphSdl: string): void;
  readonly logger: Logger;
}

/**
 * Swaps a new supergraph in, or keeps the one being served: it is first
 * checked (every subgraph has a URL, subscriptions can be planned over it),
 * then given to the gateway, which plans new HTTP operations with it, then to
 * the subscription endpoint, which plans new subscriptions with it. Open
 * subscriptions keep the plan they started with, so none is dropped.
 * Answers whether the new supergraph is served.
 */
export const supergraphReloader =
  (targets: SupergraphReloadTargets) =>
  (supergraphSdl: string, source: string): boolean => {
    const { logger, urlOf } = targets;
    const previousUrls = new Map(urlOf);
    try {
      const { endpoints } = resolveSubgraphUrls(supergraphSdl, targets.overrides);
      const urls = Object.fromEntries(endpoints.map(({ name, url }) => [name, url]));
      const useForSubscriptions = targets.prepareSubscriptions(supergraphSdl, urls);
      for (const { name, url } of endpoints) urlOf.set(name, url);
      targets.updateGateway(supergraphSdl);
      useForSubscriptions();
      logger.info(
        { source, subgraphs: urls },
        'now serving the new supergraph: new operations use it, open subscriptions carry on',
      );
      return true;
    } catch (error) {
      urlOf.clear();
      for (const [name, url] of previousUrls) urlOf.set(name, url);
      logger.error(
        { source, reason: (error as Error).message },
        'the new supergraph cannot be served; the router keeps serving the previous one',
      );
      return false;
    }
  };
