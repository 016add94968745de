import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { type ServiceError, status } from '@grpc/grpc-js';
import { FundsClient } from '@simple-securities/funds-client';
import { openPostgresServerDatabase, type SqlDatabase } from '@simple-securities/postgres';
import {
  createScratchDatabase,
  describeOnPostgresServer,
} from '@simple-securities/postgres/testing';
import { pino } from 'pino';
import { checkLedgerInvariant } from '../src/adapters/persistence/ledger-invariant.js';
import { createCoreService } from '../src/composition-root.js';

const token = 'crash-test-internal-token';
const mainScript = fileURLToPath(new URL('../src/main.ts', import.meta.url));

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

// Core must run as its own process to be killed with SIGKILL; that needs a Postgres server.
await describeOnPostgresServer('core killed with SIGKILL in a burst of reservations', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let database: SqlDatabase;
  let port: number;
  let core: ChildProcess | undefined;

  const startCore = async () => {
    core = spawn(process.execPath, ['--import', 'tsx', mainScript], {
      env: {
        ...process.env,
        DATABASE_URL: scratch.url,
        CORE_PORT: '0',
        FUNDS_GRPC_PORT: String(port),
        INTERNAL_SERVICE_TOKEN: token,
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    const probe = new FundsClient({
      address: `127.0.0.1:${port}`,
      internalToken: token,
      attempts: 1,
    });
    try {
      for (let tries = 0; ; tries += 1) {
        try {
          await probe.getBalances({ userId: '00000000-0000-4000-8000-000000000000' });
          return;
        } catch (error) {
          if (tries > 300) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    } finally {
      probe.close();
    }
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase('test_crash');
    database = openPostgresServerDatabase(scratch.url);
    port = await freePort();
  }, 60_000);

  afterAll(async () => {
    core?.kill('SIGKILL');
    await database?.close();
    await scratch?.drop();
  });

  it('loses no committed reservation and applies none twice', async () => {
    await startCore();
    // Money arrives through the deposit use case, in this process, on the same database.
    const here = await createCoreService({
      database,
      logger: pino({ level: 'silent' }),
      config: {
        JWT_SECRET: 'crash-test-jwt-secret-at-least-32-chars',
        JWT_TTL_SECONDS: 60,
        INTERNAL_SERVICE_TOKEN: token,
      },
    });
    const { user } = await here.useCases.signUp({
      email: 'crash@example.com',
      password: 'crash-password-1',
      displayName: 'Crash',
    });
    await here.wallets.deposit({
      userId: user.id,
      asset: 'USD',
      amount: '1000',
      idempotencyKey: 'f',
    });

    const requests = Array.from({ length: 300 }, (_, i) => ({
      userId: user.id,
      asset: 'USD',
      amount: '10',
      reservationId: `crash-${i}`,
    }));
    const client = new FundsClient({
      address: `127.0.0.1:${port}`,
      internalToken: token,
      attempts: 1,
      deadlineMs: 30_000,
    });
    const acknowledged = new Map<string, string>();
    let killed = false;
    const burst = requests.map((request) =>
      client.reserve(request).then(
        (response) => {
          acknowledged.set(request.reservationId, response.transactionId);
          if (!killed && acknowledged.size >= 20) {
            killed = true;
            core?.kill('SIGKILL');
          }
        },
        () => undefined,
      ),
    );
    await Promise.all(burst);
    client.close();
    expect(killed).toBe(true);

    await startCore();
    const retrying = new FundsClient({
      address: `127.0.0.1:${port}`,
      internalToken: token,
      deadlineMs: 30_000,
    });
    const outcomes = await Promise.all(
      requests.map((request) =>
        retrying.reserve(request).then(
          (response) => ({ id: request.reservationId, response }),
          (error: unknown) => ({ id: request.reservationId, code: (error as ServiceError).code }),
        ),
      ),
    );
    const granted = outcomes.flatMap((outcome) => ('response' in outcome ? [outcome] : []));
    // Every reservation acknowledged before the kill survived, with the same transaction.
    for (const [id, transactionId] of acknowledged) {
      expect(granted.find((outcome) => outcome.id === id)?.response).toMatchObject({
        transactionId,
        replayed: true,
      });
    }
    expect(granted).toHaveLength(100);
    expect(
      outcomes.filter((o) => 'code' in o && o.code === status.FAILED_PRECONDITION),
    ).toHaveLength(200);
    expect(await retrying.getBalances({ userId: user.id })).toEqual({
      balances: [{ asset: 'USD', available: '0.00', reserved: '1000.00' }],
    });
    retrying.close();
    await here.stop();
    expect(await checkLedgerInvariant(database)).toEqual({
      unbalancedAssets: [],
      unbalancedTransactions: [],
      driftedWallets: [],
    });
  });
});
