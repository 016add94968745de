/**
 * Runs the stock subgraph alone against a Postgres server:
 *   DATABASE_URL=postgres://… npm run start -w subgraphs/stock
 */
import { runSubgraphAlone } from '@simple-securities/service-kit';
import { stockSubgraph } from './composition-root.js';

runSubgraphAlone(stockSubgraph);
