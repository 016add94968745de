/**
 * Runs the crypto subgraph alone against a Postgres server:
 *   DATABASE_URL=postgres://… npm run start -w subgraphs/crypto
 */
import { runSubgraphAlone } from '@simple-securities/service-kit';
import { cryptoSubgraph } from './composition-root.js';

runSubgraphAlone(cryptoSubgraph);
