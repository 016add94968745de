import { afterAll, beforeAll, expect, it } from '@jest/globals';
import pino from 'pino';
import { CRYPTO_PAIRS } from '@simple-securities/market-data';
import { migrate, PostgresEventStore, type SqlDatabase } from '@simple-securities/postgres';
import { describeOnEachEngine } from '@simple-securities/postgres/testing';
import { migrationsOf } from '@simple-securities/service-kit';
import { systemClock } from '@simple-securities/shared-kernel';
import {
  aroundTheClock,
  exactDecimal,
  type FundsPort,
  OrderBookDesk,
} from '@simple-securities/trading';
import {
  postgresOrderBookJournal,
  postgresOrderList,
  tradingInstrumentOf,
} from '@simple-securities/trading-adapters';
import { cryptoSubgraph, walletScaleOf } from '../src/composition-root.js';

const logger = pino({ level: 'silent' });
const btc = (() => {
  const pair = CRYPTO_PAIRS.find(({ symbol }) => symbol === 'BTC-USDT');
  if (!pair) throw new Error('BTC-USDT is not listed');
  return tradingInstrumentOf(pair, walletScaleOf);
})();

/** Core's funds as a recorder: every call succeeds and is kept, in order. */
const recordingFunds = () => {
  const calls: [string, unknown][] = [];
  const funds: FundsPort = {
    reserve: async (request) => void calls.push(['reserve', request]),
    release: async (request) => void calls.push(['release', request]),
    settle: async (request) => void calls.push(['settle', request]),
  };
  return { funds, calls };
};

await describeOnEachEngine('a spot order desk on the event store', (engine) => {
  let database: SqlDatabase;
  const { funds, calls } = recordingFunds();
  const openDesk = (fundsPort: FundsPort = funds) =>
    OrderBookDesk.open({
      instrument: btc,
      funds: fundsPort,
      journal: postgresOrderBookJournal(
        'crypto',
        database,
        new PostgresEventStore(database, { logger }),
        () => btc,
      ),
      fees: { maker: exactDecimal('0.0005'), taker: exactDecimal('0.001') },
      clock: systemClock,
      session: aroundTheClock,
      // Crypto's market never closes: nothing is ever scheduled.
      scheduleAt: () => () => undefined,
      logger,
    });
  const order = (orderId: string, userId: string, side: 'buy' | 'sell', ticks: number) => ({
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
    await migrate({ database, directories: migrationsOf([cryptoSubgraph]), logger });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('rebuilds the book from its stream after a restart, then matches and settles against it', async () => {
    const before = await openDesk();
    await before.place(order('sell-1', 'bob', 'sell', 9_000_000));

    const after = await openDesk();
    expect(after.book.depth('sell')).toEqual([{ price: 9_000_000, quantity: 1000, orders: 1 }]);
    calls.length = 0;
    await after.place(order('buy-1', 'alice', 'buy', 9_050_000));

    expect(calls).toEqual([
      [
        'reserve',
        // 905 USDT at the limit, the 0.1 % taker fee, two minor units per lot for rounding.
        { userId: 'alice', asset: 'USDT', amount: '905.907000', reservationId: 'buy-1' },
      ],
      [
        'settle',
        {
          settlementId: 'BTC-USDT:5',
          debits: [
            { reservationId: 'sell-1', amount: '0.01000000' },
            { reservationId: 'buy-1', amount: '899.550000' },
          ],
          credits: [
            { userId: 'alice', asset: 'BTC', amount: '0.01000000' },
            { userId: 'bob', asset: 'USDT', amount: '899.550000' },
          ],
          fees: [{ reservationId: 'buy-1', amount: '1.350000' }],
        },
      ],
      ['release', { reservationId: 'buy-1', amount: '5.007000', releaseId: 'buy-1:end' }],
    ]);
    const orders = postgresOrderList(database, 'crypto');
    expect(await orders.byId('sell-1')).toMatchObject({
      status: 'FILLED',
      filledQuantity: '0.01000',
      averagePrice: '90000.00',
    });
  });

  it('settles again, at the next start, the trades of a command cut short', async () => {
    const desk = await openDesk();
    await desk.place(order('sell-4', 'bob', 'sell', 8_000_000));
    // Core goes away after the reservation: the trade is recorded, its settlement is not.
    const unreachable: FundsPort = {
      ...funds,
      settle: () => Promise.reject(new Error('core is unreachable')),
      release: () => Promise.reject(new Error('core is unreachable')),
    };
    await (await openDesk(unreachable)).place(order('buy-4', 'alice', 'buy', 8_000_000));
    calls.length = 0;

    await openDesk();
    expect(calls).toEqual([
      [
        'settle',
        expect.objectContaining({ settlementId: expect.stringMatching(/^BTC-USDT:\d+$/) }),
      ],
      ['release', { reservationId: 'buy-4', amount: '0.002000', releaseId: 'buy-4:end' }],
    ]);
  });

  it('gives the reservation back when another writer moved the stream first', async () => {
    const stale = await openDesk();
    const current = await openDesk();
    await current.place(order('sell-2', 'bob', 'sell', 9_900_000));
    calls.length = 0;

    await expect(stale.place(order('sell-3', 'bob', 'sell', 9_900_000))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(calls).toEqual([
      ['reserve', { userId: 'bob', asset: 'BTC', amount: '0.01000000', reservationId: 'sell-3' }],
      ['release', { reservationId: 'sell-3', amount: '0.01000000', releaseId: 'sell-3:end' }],
    ]);
    // The stale desk reloaded: it now holds the order the other one placed.
    expect(stale.book.depth('sell')).toEqual([{ price: 9_900_000, quantity: 1000, orders: 1 }]);
  });
});
