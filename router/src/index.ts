export { startRouter, GRAPHQL_PATH, type RouterOptions, type RunningRouter } from './router.js';
export {
  edgeOptionsOf,
  loadRouterConfig,
  routerConfig,
  subgraphUrlsOf,
  type RouterConfig,
} from './config.js';
export { readSupergraph, subgraphsOf, SUPERGRAPH_PATH } from './graphql/supergraph.js';
export type { RouterContext } from './graphql/router-context.js';
