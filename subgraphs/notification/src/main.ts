/**
 * Runs the notification subgraph alone against a Postgres server:
 *   DATABASE_URL=postgres://… npm run start -w subgraphs/notification
 */
import { runSubgraphAlone } from '@simple-securities/service-kit';
import { notificationSubgraph } from './composition-root.js';

runSubgraphAlone(notificationSubgraph);
