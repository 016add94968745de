/**
 * The whole supergraph in postgres mode (what `DATABASE_URL=… npm start` runs) on free
 * ports, in its own process so the load generator does not share its event loop. The
 * runner passes a scratch database in DATABASE_URL and reads the router's URL (and each
 * subgraph's, in `urls`) from the `ready` message. The process ends when the runner
 * disconnects (`serveChild`); the runner then drops the database.
 */
import { readFile } from 'node:fs/promises';
import { pino } from 'pino';
import { openPostgresServerDatabase } from '@simple-securities/postgres';
import { startStack } from '../../tools/src/start/stack.js';
import { serveChild } from './ipc.js';
import { BENCH_STACK_SECRETS } from './stack-secrets.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('bench/shared/postgres-stack.ts needs DATABASE_URL');

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
    ...BENCH_STACK_SECRETS,
    SEED_DEMO_DATA: 'false',
    FUNDS_GRPC_PORT: '0',
    NOTIFICATION_GRPC_PORT: '0',
    // Every simulated user connects from 127.0.0.1, which the per-address limit would
    // treat as one abusive client; the benchmarks measure the stack, not the limiter.
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
