import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import {
  checkLedgerInvariant,
  type CoreService,
  createCoreService,
} from '@simple-securities/core-subgraph';
import { FundsClient } from '@simple-securities/funds-client';
import { postGraphQL } from '@simple-securities/market-data-adapters/testing';
import {
  openPostgresServerDatabase,
  PostgresEventStore,
  type SqlDatabase,
} from '@simple-securities/postgres';
import {
  createScratchDatabase,
  describeOnPostgresServer,
} from '@simple-securities/postgres/testing';
import {
  MatchingEngine,
  type OrderBookEvent,
  type SpotBookEvent,
} from '@simple-securities/trading';
import { pino } from 'pino';

const token = 'crypto-crash-internal-token';
const jwtSecret = 'crypto-crash-jwt-secret-at-least-32-chars';
const logger = pino({ level: 'silent' });
const mainOf = (service: string) =>
  fileURLToPath(new URL(`../../subgraphs/${service}/src/main.ts`, import.meta.url));

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Tries `probe` every 200 ms until it answers, for a few minutes on a loaded machine. */
const untilAnswered = async (probe: () => Promise<unknown>) => {
  for (let tries = 0; ; tries += 1) {
    try {
      return await probe();
    } catch (error) {
      if (tries > 900) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
};

/** A service process, and what it said on stderr: why it stopped, if it did. */
const serviceProcess = (child: ChildProcess) => {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return {
    child,
    /** Throws, with its last words, once the process has exited. */
    requireRunning: () => {
      if (child.exitCode !== null)
        throw new Error(`the service exited with ${child.exitCode}: ${stderr}`);
    },
  };
};

const PLACE = `mutation ($input: PlaceCryptoOrderInput!) {
  placeOrder(input: $input) { replayed order { id status } }
}`;

const DEPOSITS = { BTC: 10n, USDT: 1_000_000n } as const;
const USERS = 4;

const isEngineEvent = (event: SpotBookEvent): event is OrderBookEvent =>
  event.type !== 'SpotOrderPlaced' &&
  event.type !== 'SpotOrderReserved' &&
  event.type !== 'SpotOrderReleased';

// Both services run as their own processes, to be killed with SIGKILL: that needs a Postgres server.
await describeOnPostgresServer('crypto killed with SIGKILL while orders flow', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let database: SqlDatabase;
  let fundsPort: number;
  let cryptoPort: number;
  let core: ReturnType<typeof serviceProcess> | undefined;
  let crypto: ReturnType<typeof serviceProcess> | undefined;
  let here: CoreService | undefined;

  const spawnService = (service: string, env: Record<string, string>) =>
    serviceProcess(
      // tsx as a loader, so the SIGKILL reaches the service itself and not a CLI wrapper.
      spawn(process.execPath, ['--import', 'tsx', mainOf(service)], {
        env: {
          ...process.env,
          DATABASE_URL: scratch.url,
          INTERNAL_SERVICE_TOKEN: token,
          JWT_SECRET: jwtSecret,
          SEED_DEMO_DATA: 'false',
          LOG_LEVEL: 'warn',
          ...env,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      }),
    );

  /** Per asset, in minor units, what the wallets and the platform's fees hold together. */
  const moneyHeld = async () =>
    (
      await database.query<{ asset: string; units: string }>(
        `SELECT asset, sum(units)::text AS units FROM (
           SELECT asset, available + reserved AS units FROM core.wallets
           UNION ALL SELECT asset, amount FROM core.ledger_entries WHERE account = 'fees'
         ) AS money GROUP BY asset ORDER BY asset`,
      )
    ).rows;

  const cryptoUrl = () => `http://127.0.0.1:${cryptoPort}/graphql`;

  const startCrypto = async () => {
    crypto = spawnService('crypto', {
      CRYPTO_PORT: String(cryptoPort),
      FUNDS_GRPC_ADDRESS: `127.0.0.1:${fundsPort}`,
    });
    // Its books are recovered before it listens.
    await untilAnswered(() => {
      crypto?.requireRunning();
      return postGraphQL(cryptoUrl(), '{ __typename }');
    });
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase('test_crypto_crash');
    database = openPostgresServerDatabase(scratch.url);
    [fundsPort, cryptoPort] = await Promise.all([freePort(), freePort()]);
    core = spawnService('core', { CORE_PORT: '0', FUNDS_GRPC_PORT: String(fundsPort) });
    const probe = new FundsClient({
      address: `127.0.0.1:${fundsPort}`,
      internalToken: token,
      attempts: 1,
    });
    try {
      await untilAnswered(() => {
        core?.requireRunning();
        return probe.getBalances({ userId: '00000000-0000-4000-8000-000000000000' });
      });
    } finally {
      probe.close();
    }
  }, 240_000);

  afterAll(async () => {
    crypto?.child.kill('SIGKILL');
    core?.child.kill('SIGKILL');
    await here?.stop();
    await database?.close();
    await scratch?.drop();
  });

  it('loses no accepted order, fills none twice and gives back what ended orders held', async () => {
    // Users and their money arrive through core's use cases, in this process, on the same database.
    here = await createCoreService({
      database,
      logger,
      config: {
        JWT_SECRET: jwtSecret,
        JWT_TTL_SECONDS: 60,
        INTERNAL_SERVICE_TOKEN: token,
      },
    });
    const users: string[] = [];
    for (let n = 0; n < USERS; n += 1) {
      const { user } = await here.useCases.signUp({
        email: `crypto-crash-${n}@example.com`,
        password: 'crash-password-1',
        displayName: `Crash ${n}`,
      });
      for (const asset of ['BTC', 'USDT'] as const)
        await here.wallets.deposit({
          userId: user.id,
          asset,
          amount: String(DEPOSITS[asset]),
          idempotencyKey: `crash-${asset}`,
        });
      users.push(user.id);
    }
    await startCrypto();
    const moneyBefore = await moneyHeld();
    expect(moneyBefore.map(({ asset }) => asset)).toEqual(['BTC', 'USDT']);

    // Each user places one order after another, buying and selling in turn around one
    // price, so most cross; every fifth takes what it can at once (IOC).
    const answered = new Map<string, string>();
    let killed = false;
    const flow = users.map(async (userId, n) => {
      for (let i = 0; ; i += 1) {
        const input = {
          symbol: 'BTC-USDT',
          side: (n + i) % 2 === 0 ? 'BUY' : 'SELL',
          type: 'LIMIT',
          // 0.0001 to 0.0005 BTC: above the pair's minimum notional at this price.
          quantity: `0.000${10 * (1 + ((n + i) % 5))}`,
          price: `${90_000 + ((i * 7 + n * 3) % 11) - 5}.00`,
          timeInForce: i % 5 === 4 ? 'IOC' : 'GTC',
          clientOrderId: `crash-${n}-${i}`,
        };
        let reply;
        try {
          reply = await postGraphQL<{ placeOrder: { order: { id: string } } }>(
            cryptoUrl(),
            PLACE,
            { input },
            { userId, internalToken: token, service: 'crypto' },
          );
        } catch {
          // The service is gone: this placement's fate is unknown, and the user stops.
          return;
        }
        const id = reply.data?.placeOrder.order.id;
        if (!id) throw new Error(`a placement failed: ${JSON.stringify(reply.errors)}`);
        answered.set(id, input.clientOrderId);
        if (!killed && answered.size >= 40) {
          killed = true;
          crypto?.child.kill('SIGKILL');
        }
      }
    });
    await Promise.all(flow);
    expect(killed).toBe(true);

    await startCrypto();
    // What recovery could not make at once is retried; wait until nothing is owed.
    await untilAnswered(async () => {
      const { rows } = await database.query('SELECT 1 FROM crypto.settlement_backlog');
      if (rows.length > 0) throw new Error('settlements still owed');
    });

    const recorded = await new PostgresEventStore(database, { logger }).readStream(
      'spot-book-BTC-USDT',
    );
    const events = recorded.map(({ data }) => data as SpotBookEvent);
    const book = MatchingEngine.recover(undefined, events.filter(isEngineEvent)).book;

    // Every order whose placement was answered is in the stream and in the orders list.
    const ordered = new Map<string, number>();
    for (const event of events)
      if (event.type === 'SpotOrderPlaced') ordered.set(event.orderId, event.quantity);
    for (const id of answered.keys()) expect(ordered.has(id)).toBe(true);
    const { rows: orderRows } = await database.query<{
      id: string;
      status: string;
      filled_lots: string;
    }>(
      `SELECT id, status, (filled_quantity * 100000)::bigint::text AS filled_lots
         FROM crypto.orders WHERE symbol = 'BTC-USDT'`,
    );
    const listed = new Map(orderRows.map((row) => [row.id, row]));
    expect([...listed.keys()].sort()).toEqual([...ordered.keys()].sort());

    // Per order: filled + still open + cancelled = ordered, and the list agrees.
    const filled = new Map<string, number>();
    const cancelled = new Map<string, number>();
    const endedAs = new Map<string, string>();
    const add = (totals: Map<string, number>, id: string, lots: number) =>
      totals.set(id, (totals.get(id) ?? 0) + lots);
    for (const event of events) {
      if (event.type === 'TradeExecuted') {
        add(filled, event.makerOrderId, event.quantity);
        add(filled, event.takerOrderId, event.quantity);
      }
      if (event.type === 'OrderCancelled' || event.type === 'OrderExpired') {
        add(cancelled, event.orderId, event.quantity);
        // An IOC order's unfilled rest lapses rather than being cancelled by anyone.
        const lapsed = event.type === 'OrderExpired' || event.reason === 'NOT_IMMEDIATELY_FILLED';
        endedAs.set(event.orderId, lapsed ? 'EXPIRED' : 'CANCELED');
      }
      if (event.type === 'CommandRejected')
        throw new Error(`an order was refused: ${event.detail}`);
    }
    for (const [id, quantity] of ordered) {
      const resting = book.order(id);
      const open = resting ? resting.quantity - resting.filled : 0;
      const filledLots = filled.get(id) ?? 0;
      expect({ id, total: filledLots + open + (cancelled.get(id) ?? 0) }).toEqual({
        id,
        total: quantity,
      });
      const row = listed.get(id);
      expect({ id, filled: Number(row?.filled_lots) }).toEqual({ id, filled: filledLots });
      const status = resting
        ? filledLots > 0
          ? 'PARTIALLY_FILLED'
          : 'NEW'
        : filledLots === quantity
          ? 'FILLED'
          : endedAs.get(id);
      expect({ id, status: row?.status }).toEqual({ id, status });
    }

    // Every trade settled exactly once, by its id.
    const trades = recorded
      .filter(({ data }) => (data as SpotBookEvent).type === 'TradeExecuted')
      .map(({ streamVersion }) => `settlement:BTC-USDT:${streamVersion}`);
    expect(trades.length).toBeGreaterThan(0);
    const { rows: settlements } = await database.query<{ reference: string; count: string }>(
      `SELECT reference, count(*)::text AS count FROM core.ledger_transactions
        WHERE reference LIKE 'settlement:%' GROUP BY reference`,
    );
    expect(settlements.map(({ reference }) => reference).sort()).toEqual([...trades].sort());
    expect(settlements.filter(({ count }) => count !== '1')).toEqual([]);
    expect(await checkLedgerInvariant(database)).toEqual({
      unbalancedAssets: [],
      unbalancedTransactions: [],
      driftedWallets: [],
    });

    // No money appeared or vanished: per asset, the wallets and the fees hold what was deposited.
    expect(await moneyHeld()).toEqual(moneyBefore);

    // What an ended order held is all given back; an open one still holds something.
    const { rows: reservations } = await database.query<{ id: string; remaining: string }>(
      'SELECT id, remaining::text FROM core.reservations',
    );
    const heldBy = new Map<string, bigint>();
    for (const { id, remaining } of reservations) {
      const orderId = id.split(':')[0] ?? id;
      heldBy.set(orderId, (heldBy.get(orderId) ?? 0n) + BigInt(remaining));
    }
    for (const id of ordered.keys())
      expect({ id, holds: (heldBy.get(id) ?? 0n) > 0n }).toEqual({
        id,
        holds: book.order(id) !== undefined,
      });
  }, 300_000);
});
