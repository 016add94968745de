/**
 * Runs the core subgraph alone against a Postgres server:
 *   DATABASE_URL=postgres://… npm run start -w subgraphs/core
 */
import { runSubgraphAlone } from '@simple-securities/service-kit';
import { coreSubgraph } from './composition-root.js';

runSubgraphAlone(coreSubgraph);
