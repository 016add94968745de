import {
  ConfigurationError,
  createLogger,
  startTracingFromEnvironment,
} from '@simple-securities/service-kit';
import { edgeOptionsOf, loadRouterConfig, subgraphUrlsOf } from './config.js';
import { SUPERGRAPH_PATH, readSupergraph } from './graphql/supergraph.js';
import { startRouter } from './router.js';

/** Runs the router on its own: `npm run start -w router`. */
const config = (() => {
  try {
    return loadRouterConfig();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    console.error(`router: ${error.message}`);
    process.exit(1);
  }
})();
const logger = createLogger('router', config.LOG_LEVEL);
const tracing = (() => {
  try {
    // The router hands its spans on explicitly: no AsyncLocalStorage (ADR 0015).
    return startTracingFromEnvironment('router', logger, { activeContext: false });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    console.error(`router: ${error.message}`);
    process.exit(1);
  }
})();

const supergraphPath = config.SUPERGRAPH_PATH ?? SUPERGRAPH_PATH;
const router = await startRouter({
  supergraphSdl: await readSupergraph(supergraphPath),
  supergraphPath,
  subgraphUrls: subgraphUrlsOf(config),
  logger,
  jwtSecret: config.JWT_SECRET,
  internalToken: config.INTERNAL_SERVICE_TOKEN,
  port: config.PORT,
  host: config.HOST,
  ...edgeOptionsOf(config),
});

let stopping = false;
const shutdown = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping the router: finishing in-flight requests');
  router
    .stop()
    .then(() => tracing?.stop())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'the router did not stop cleanly');
        process.exit(1);
      },
    );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
