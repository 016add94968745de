/**
 * Core's funds service on its own, in a process of its own, so the benchmark's callers do
 * not share its event loop: the runner passes the scratch database (already migrated and
 * holding the bench users) in DATABASE_URL and reads the gRPC address from the `ready`
 * message. It answers `usage` (CPU time, `serveChild`) and `batches` (what the store's
 * transactions did since the last ask, `BatchProfile`). It ends when the runner disconnects.
 */
import { pino } from 'pino';
import { createCoreService } from '@simple-securities/core-subgraph';
import { openPostgresServerDatabase } from '@simple-securities/postgres';
import { serveChild } from '../shared/ipc.js';
import { profileBatches } from './batch-profile.js';

const databaseUrl = process.env.DATABASE_URL;
const token = process.env.INTERNAL_SERVICE_TOKEN;
if (!databaseUrl || !token)
  throw new Error('bench/funds/service.ts needs DATABASE_URL and INTERNAL_SERVICE_TOKEN');

const profiled = profileBatches(openPostgresServerDatabase(databaseUrl));
const service = await createCoreService({
  database: profiled.database,
  logger: pino({ level: process.env.LOG_LEVEL ?? 'warn' }),
  config: {
    JWT_SECRET: 'bench-jwt-secret-of-at-least-32-characters',
    JWT_TTL_SECONDS: 600,
    INTERNAL_SERVICE_TOKEN: token,
  },
});
// Balances arrive the way all money does: through deposits.
const { rows } = await profiled.database.query<{ id: string }>('SELECT id FROM bench.users');
await Promise.all(
  rows.map(({ id }) =>
    service.wallets.deposit({
      userId: id,
      asset: 'USD',
      amount: '1000000',
      idempotencyKey: 'bench',
    }),
  ),
);
const grpc = await service.startFunds({ port: 0 });

process.on('message', (message: { type?: string }) => {
  if (message.type === 'batches') process.send?.(profiled.take());
});
serveChild({ type: 'ready', url: grpc.address });
