/**
 * The whole supergraph in postgres mode (what `DATABASE_URL=… npm start` runs) on free
 * ports, in its own process so the load generator does not share its event loop. The
 * runner passes a scratch database in DATABASE_URL and reads the router's URL and the
 * subgraphs' (to put another gateway in front of them) from the `ready` message; a
 * runner that starts such a gateway passes it the secrets it sets here, JWT_SECRET and
 * INTERNAL_SERVICE_TOKEN. The process ends when the runner disconnects (`serveChild`);
 * the runner then drops the database.
 */
import { readFile } from 'node:fs/promises';
import { pino } from 'pino';
import { openPostgresServerDatabase } from '@simple-securities/postgres';
import { startStack } from '../../tools/src/start/stack.js';
import { serveChild } from '../shared/ipc.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('bench/shared/stack.ts needs DATABASE_URL');

const database = openPostgresServerDatabase(databaseUrl);
const stack = await startStack({
  database,
  logger: pino({ level: process.env.LOG_LEVEL ?? 'warn' }),
  supergraphSdl: await readFile(
    new URL('../../schema/supergraph.graphql', import.meta.url),
    'utf8',
  ),
  ports: { router: 0, core: 0, crypto: 0, stock: 0, notification: 0 },
  env: {
    ...process.env,
    JWT_SECRET: process.env.JWT_SECRET ?? 'bench-jwt-secret-at-least-32-characters-long',
    INTERNAL_SERVICE_TOKEN:
      process.env.INTERNAL_SERVICE_TOKEN ?? 'bench-internal-service-token-at-least-32-chars',
    SEED_DEMO_DATA: 'false',
    FUNDS_GRPC_PORT: '0',
    NOTIFICATION_GRPC_PORT: '0',
    // Every simulated user connects from 127.0.0.1, which the per-address limit would
    // treat as one abusive client; the benchmark measures delivery, not the limiter.
    RATE_LIMIT_ENABLED: 'false',
  },
});
serveChild({
  type: 'ready',
  url: stack.router.url,
  urls: Object.fromEntries(
    Object.entries(stack.subgraphs).map(([name, subgraph]) => [name, subgraph.url]),
  ),
});
