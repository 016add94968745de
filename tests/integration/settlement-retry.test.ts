import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { FundsClient } from '@simple-securities/funds-client';
import {
  checkLedgerInvariant,
  type CoreService,
  coreConfig,
  coreSubgraph,
  createCoreService,
} from '@simple-securities/core-subgraph';
import { cryptoSubgraph, walletScaleOf } from '@simple-securities/crypto-subgraph';
import { CRYPTO_PAIRS } from '@simple-securities/market-data';
import { migrate, PostgresEventStore, type SqlDatabase } from '@simple-securities/postgres';
import { describeOnEachEngine } from '@simple-securities/postgres/testing';
import { commonConfig, loadConfig, migrationsOf } from '@simple-securities/service-kit';
import { systemClock } from '@simple-securities/shared-kernel';
import {
  aroundTheClock,
  exactDecimal,
  type FundsPort,
  OrderBookDesk,
} from '@simple-securities/trading';
import {
  grpcFunds,
  postgresOrderBookJournal,
  tradingInstrumentOf,
} from '@simple-securities/trading-adapters';
import pino from 'pino';

const config = loadConfig({ ...commonConfig, ...coreConfig }, {});
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const btc = (() => {
  const pair = CRYPTO_PAIRS.find(({ symbol }) => symbol === 'BTC-USDT');
  if (!pair) throw new Error('BTC-USDT is not listed');
  return tradingInstrumentOf(pair, walletScaleOf);
})();

/** What a grpc-js call fails with while core is down. */
const unavailable = () =>
  Object.assign(new Error('14 UNAVAILABLE: No connection established'), {
    code: status.UNAVAILABLE,
  });

/**
 * Core's real funds service behind a switch at the port: settlements and releases are
 * refused while `refusing` is above zero (each refusal counts one down), as when core is
 * briefly unreachable.
 */
const intermittentFunds = (real: FundsPort) => {
  const state = { refusing: 0, refused: 0 };
  const gate = async <T>(call: () => Promise<T>): Promise<T> => {
    if (state.refusing > 0) {
      state.refusing -= 1;
      state.refused += 1;
      throw unavailable();
    }
    return call();
  };
  const funds: FundsPort = {
    reserve: (request) => real.reserve(request),
    release: (request) => gate(() => real.release(request)),
    settle: (request) => gate(() => real.settle(request)),
  };
  return { funds, state };
};

await describeOnEachEngine('settlements core refused, retried', (engine) => {
  let database: SqlDatabase;
  let core: CoreService;
  let client: FundsClient;
  let grpc: Awaited<ReturnType<CoreService['startFunds']>>;
  let users = 0;
  const desks: OrderBookDesk[] = [];

  const openDesk = async (funds: FundsPort) => {
    const desk = await OrderBookDesk.open({
      instrument: btc,
      funds,
      journal: postgresOrderBookJournal(
        'crypto',
        database,
        new PostgresEventStore(database, { logger }),
        () => btc,
      ),
      fees: { maker: exactDecimal('0.0005'), taker: exactDecimal('0.001') },
      clock: systemClock,
      session: aroundTheClock,
      scheduleAt: () => () => undefined,
      logger,
      retryBackoff: { firstDelayMs: 5, maxDelayMs: 40 },
    });
    desks.push(desk);
    return desk;
  };

  const fundedUser = async (asset: string, amount: string) => {
    users += 1;
    const { user } = await core.useCases.signUp({
      email: `retry-${users}@example.com`,
      password: 'retry-password-1',
      displayName: `Retry ${users}`,
    });
    await core.wallets.deposit({ userId: user.id, asset, amount, idempotencyKey: 'funding' });
    return user.id;
  };

  const balances = async (userId: string) =>
    Object.fromEntries(
      (await client.getBalances({ userId })).balances.map(({ asset, available, reserved }) => [
        asset,
        [available, reserved],
      ]),
    );

  /** How many ledger transactions carry each settlement id. */
  const settlementCounts = async () => {
    const { rows } = await database.query<{ reference: string; count: string }>(
      `SELECT reference, count(*)::text AS count FROM core.ledger_transactions
        WHERE reference LIKE 'settlement:%' GROUP BY reference`,
    );
    return rows.map(({ reference, count }) => [reference, Number(count)]);
  };

  /** Waits, a few milliseconds at a time, until the desk owes core nothing. */
  const settledUp = async (desk: OrderBookDesk) => {
    while (desk.owedToCore > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  const limit = (orderId: string, userId: string, side: 'buy' | 'sell', ticks: number) => ({
    orderId,
    userId,
    clientOrderId: orderId,
    side,
    orderType: 'limit' as const,
    lots: 1000,
    ticks,
    stopTicks: null,
    timeInForce: 'GTC' as const,
  });

  beforeAll(async () => {
    database = await engine.open();
    await migrate({
      database,
      directories: migrationsOf([coreSubgraph, cryptoSubgraph]),
      logger,
    });
    core = await createCoreService({ database, logger, config });
    grpc = await core.startFunds({ port: 0 });
    client = new FundsClient({
      address: grpc.address,
      internalToken: config.INTERNAL_SERVICE_TOKEN,
      attempts: 1,
      deadlineMs: 60_000,
    });
  }, 60_000);

  afterEach(async () => {
    for (const desk of desks.splice(0)) await desk.close();
    expect(await checkLedgerInvariant(database)).toEqual({
      unbalancedAssets: [],
      unbalancedTransactions: [],
      driftedWallets: [],
    });
  });

  afterAll(async () => {
    client?.close();
    await core?.stop();
    await database?.close();
  });

  it('settles a trade and gives back the leftover once core answers again, each exactly once', async () => {
    const seller = await fundedUser('BTC', '1');
    const buyer = await fundedUser('USDT', '1000');
    const { funds, state } = intermittentFunds(grpcFunds(client));
    const desk = await openDesk(funds);
    await desk.place(limit('retry-sell-1', seller, 'sell', 9_000_000));

    state.refusing = 3;
    await desk.place(limit('retry-buy-1', buyer, 'buy', 9_000_000));
    await settledUp(desk);

    expect(state.refused).toBe(3);
    // 900 USDT for 0.01 BTC: the seller pays the 0.05 % maker fee, the buyer the 0.1 % taker fee.
    expect(await balances(seller)).toEqual({
      BTC: ['0.99000000', '0.00000000'],
      USDT: ['899.550000', '0.000000'],
    });
    expect(await balances(buyer)).toEqual({
      BTC: ['0.01000000', '0.00000000'],
      USDT: ['99.100000', '0.000000'],
    });
    expect(await settlementCounts()).toEqual([['settlement:BTC-USDT:5', 1]]);
  });

  it('settles, at the next start, a trade core still refused when the desk stopped, though later commands were recorded after it', async () => {
    const seller = await fundedUser('BTC', '1');
    const buyer = await fundedUser('USDT', '1000');
    const { funds, state } = intermittentFunds(grpcFunds(client));
    const desk = await openDesk(funds);
    await desk.place(limit('durable-sell-1', seller, 'sell', 9_000_000));
    const settledBefore = (await settlementCounts()).length;

    state.refusing = Number.MAX_SAFE_INTEGER;
    await desk.place(limit('durable-buy-1', buyer, 'buy', 9_000_000));
    // A later command, which settles nothing: the trade is no longer the last one recorded.
    await desk.place(limit('durable-sell-2', seller, 'sell', 9_500_000));
    expect(desk.owedToCore).toBeGreaterThan(0);
    await desk.close();

    const restarted = await openDesk(grpcFunds(client));
    await settledUp(restarted);

    expect(await balances(buyer)).toEqual({
      BTC: ['0.01000000', '0.00000000'],
      USDT: ['99.100000', '0.000000'],
    });
    expect(await balances(seller)).toMatchObject({ USDT: ['899.550000', '0.000000'] });
    const settlements = await settlementCounts();
    expect(settlements).toHaveLength(settledBefore + 1);
    expect(settlements.every(([, count]) => count === 1)).toBe(true);
    // Everything owed was made: a further start has nothing recorded to make again.
    const { rows } = await database.query('SELECT * FROM crypto.settlement_backlog');
    expect(rows).toEqual([]);
  });
});
