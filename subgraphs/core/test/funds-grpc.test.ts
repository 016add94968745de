import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import {
  type ServiceError,
  credentials,
  loadPackageDefinition,
  type makeGenericClientConstructor,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { FundsClient } from '@simple-securities/funds-client';
import type { SqlDatabase } from '@simple-securities/postgres';
import { describeOnEachEngine } from '@simple-securities/postgres/testing';
import { loadConfig, commonConfig, migrationsOf } from '@simple-securities/service-kit';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { migrate } from '@simple-securities/postgres';
import { pino } from 'pino';
import { checkLedgerInvariant } from '../src/adapters/persistence/ledger-invariant.js';
import { type CoreService, coreSubgraph, createCoreService } from '../src/composition-root.js';
import { coreConfig } from '../src/config.js';
import type { RunningGrpcServer } from '../src/grpc/funds-grpc-server.js';

const config = loadConfig({ ...commonConfig, ...coreConfig }, {});
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

const codeOf = (error: unknown) => (error as ServiceError).code;

type HealthCheck = (
  request: { service: string },
  callback: (error: ServiceError | null, response: unknown) => void,
) => void;

await describeOnEachEngine('the gRPC funds service', (engine) => {
  let database: SqlDatabase;
  let service: CoreService;
  let grpc: RunningGrpcServer;
  let client: FundsClient;
  let users = 0;

  /** A new user with `usd` dollars deposited through the deposit use case. */
  const fundedUser = async (usd: string) => {
    users += 1;
    const { user } = await service.useCases.signUp({
      email: `funds-user-${users}@example.com`,
      password: 'funds-password-1',
      displayName: `Funds user ${users}`,
    });
    await service.wallets.deposit({
      userId: user.id,
      asset: 'USD',
      amount: usd,
      idempotencyKey: 'funding',
    });
    return user.id;
  };

  beforeAll(async () => {
    database = await engine.open();
    await migrate({ database, directories: migrationsOf([coreSubgraph]), logger });
    service = await createCoreService({ database, logger, config });
    grpc = await service.startFunds({ port: 0 });
    client = new FundsClient({
      address: grpc.address,
      internalToken: config.INTERNAL_SERVICE_TOKEN,
      // Generous: the test is about correctness, on machines of any speed.
      deadlineMs: 60_000,
    });
  }, 60_000);

  afterEach(async () => {
    expect(await checkLedgerInvariant(database)).toEqual({
      unbalancedAssets: [],
      unbalancedTransactions: [],
      driftedWallets: [],
    });
    const { rows } = await database.query(
      'SELECT 1 FROM core.wallets WHERE available < 0 OR reserved < 0',
    );
    expect(rows).toEqual([]);
  });

  afterAll(async () => {
    client?.close();
    await service?.stop();
    await database?.close();
  });

  it('reserves, answers a retry with the first result, and releases', async () => {
    const userId = await fundedUser('100');
    const request = { userId, asset: 'USD', amount: '40', reservationId: 'order-1' };
    const first = await client.reserve(request);
    expect(first).toMatchObject({
      replayed: false,
      balance: { asset: 'USD', available: '60.00', reserved: '40.00' },
    });
    expect(await client.reserve(request)).toEqual({ ...first, replayed: true });

    const release = await client.release({ reservationId: 'order-1', amount: '', releaseId: '' });
    expect(release).toMatchObject({
      released: '40.00',
      balance: { available: '100.00', reserved: '0.00' },
    });
    expect(await client.getBalances({ userId })).toEqual({
      balances: [{ asset: 'USD', available: '100.00', reserved: '0.00' }],
    });
  });

  it('answers with clear status codes', async () => {
    const userId = await fundedUser('10');
    const refused = (call: Promise<unknown>) => call.then(() => 'OK', codeOf);
    expect(
      await refused(client.reserve({ userId, asset: 'USD', amount: '11', reservationId: 'big' })),
    ).toBe(status.FAILED_PRECONDITION);
    expect(
      await refused(
        client.reserve({ userId, asset: 'USD', amount: '1.001', reservationId: 'odd' }),
      ),
    ).toBe(status.INVALID_ARGUMENT);
    expect(
      await refused(client.reserve({ userId, asset: 'XYZ', amount: '1', reservationId: 'xyz' })),
    ).toBe(status.INVALID_ARGUMENT);
    await client.reserve({ userId, asset: 'USD', amount: '1', reservationId: 'once' });
    expect(
      await refused(client.reserve({ userId, asset: 'USD', amount: '2', reservationId: 'once' })),
    ).toBe(status.ALREADY_EXISTS);
    expect(
      await refused(client.release({ reservationId: 'missing', amount: '', releaseId: '' })),
    ).toBe(status.NOT_FOUND);
    expect(
      await refused(
        client.reserve({
          userId: '00000000-0000-4000-8000-000000000000',
          asset: 'USD',
          amount: '1',
          reservationId: 'ghost',
        }),
      ),
    ).toBe(status.NOT_FOUND);

    const stranger = new FundsClient({
      address: grpc.address,
      internalToken: 'wrong-token',
      attempts: 1,
    });
    expect(await refused(stranger.getBalances({ userId }))).toBe(status.UNAUTHENTICATED);
    stranger.close();
  });

  it('never overdraws under 200 concurrent reservations, each also sent twice', async () => {
    for (const copies of [1, 2]) {
      const userId = await fundedUser('1000');
      const calls = Array.from({ length: 200 }, (_, i) => ({
        userId,
        asset: 'USD',
        amount: '10',
        reservationId: `burst-${copies}-${i}`,
      })).flatMap((request) => Array.from({ length: copies }, () => request));
      const outcomes = await Promise.all(
        calls.map((request) =>
          client.reserve(request).then(
            () => `${request.reservationId} ok`,
            (error: unknown) => `${request.reservationId} ${codeOf(error)}`,
          ),
        ),
      );
      const distinct = new Set(outcomes);
      // A reservation and its duplicate always get the same answer.
      expect(distinct.size).toBe(200);
      const granted = [...distinct].filter((outcome) => outcome.endsWith(' ok'));
      expect(granted).toHaveLength(100);
      expect(
        [...distinct].filter((o) => o.endsWith(` ${status.FAILED_PRECONDITION}`)),
      ).toHaveLength(100);
      expect(await client.getBalances({ userId })).toEqual({
        balances: [{ asset: 'USD', available: '0.00', reserved: '1000.00' }],
      });
    }
  });

  it('settles a trade once: debits out of reservations, credits in, the fee to core', async () => {
    const buyer = await fundedUser('1000');
    const seller = await fundedUser('0.01');
    await service.wallets.deposit({
      userId: seller,
      asset: 'BTC',
      amount: '1',
      idempotencyKey: 'btc',
    });
    await client.reserve({ userId: buyer, asset: 'USD', amount: '505', reservationId: 'buy-1' });
    await client.reserve({ userId: seller, asset: 'BTC', amount: '0.01', reservationId: 'sell-1' });
    const trade = {
      settlementId: 'trade-1',
      debits: [
        { reservationId: 'buy-1', amount: '500' },
        { reservationId: 'sell-1', amount: '0.01' },
      ],
      credits: [
        { userId: seller, asset: 'USD', amount: '500' },
        { userId: buyer, asset: 'BTC', amount: '0.01' },
      ],
      fees: [{ reservationId: 'buy-1', amount: '5' }],
    };
    const first = await client.settle(trade);
    expect(await client.settle(trade)).toEqual({ ...first, replayed: true });
    expect(await client.getBalances({ userId: buyer })).toEqual({
      balances: [
        { asset: 'USD', available: '495.00', reserved: '0.00' },
        { asset: 'BTC', available: '0.01000000', reserved: '0.00000000' },
      ],
    });
    expect(await client.getBalances({ userId: seller })).toEqual({
      balances: [
        { asset: 'USD', available: '500.01', reserved: '0.00' },
        { asset: 'BTC', available: '0.99000000', reserved: '0.00000000' },
      ],
    });
    const refused = await client
      .settle({ ...trade, settlementId: 'trade-2', credits: trade.credits.slice(1) })
      .then(() => 'OK', codeOf);
    expect(refused).toBe(status.INVALID_ARGUMENT);
  });

  it('checks permissions and offers the standard health service', async () => {
    const userId = await fundedUser('1');
    expect(await client.checkPermission({ userId, permission: 'orders:place' })).toEqual({
      allowed: true,
    });
    expect(await client.checkPermission({ userId, permission: 'admin:users:read' })).toEqual({
      allowed: false,
    });
    // Any standard health client works; this one is built from the official health.proto.
    const definition = loadPackageDefinition(loadSync(healthProtoPath)) as unknown as {
      grpc: { health: { v1: { Health: ReturnType<typeof makeGenericClientConstructor> } } };
    };
    const health = new definition.grpc.health.v1.Health(grpc.address, credentials.createInsecure());
    const answer = await new Promise((resolve, reject) =>
      (health as unknown as { check: HealthCheck }).check(
        { service: 'funds.v1.FundsService' },
        (error, response) => (error ? reject(error) : resolve(response)),
      ),
    );
    expect(answer).toEqual({ status: 1 }); // SERVING in health.proto's enum
    health.close();
  });
});
