import { afterAll, beforeAll, beforeEach, expect, it } from '@jest/globals';
import pino from 'pino';
import { STOCKS } from '@simple-securities/market-data';
import { migrate, PostgresEventStore, type SqlDatabase } from '@simple-securities/postgres';
import { describeOnEachEngine } from '@simple-securities/postgres/testing';
import { migrationsOf } from '@simple-securities/service-kit';
import {
  exactDecimal,
  type FundsPort,
  OrderBookDesk,
  type PlaceSpotOrder,
} from '@simple-securities/trading';
import {
  postgresOrderBookJournal,
  postgresOrderList,
  tradingInstrumentOf,
} from '@simple-securities/trading-adapters';
import { stockSessionOf, walletScaleOf } from '../src/adapters/stock-session.js';
import { stockSubgraph } from '../src/composition-root.js';

const logger = pino({ level: 'silent' });
const listed = (symbol: string) => {
  const stock = STOCKS.find((listing) => listing.symbol === symbol);
  if (!stock) throw new Error(`${symbol} is not listed`);
  return stock;
};

/** 27 Nov 2026, the NYSE's early close (13:00 New York, 18:00 UTC), in the morning session. */
const EARLY_CLOSE_MORNING = new Date('2026-11-27T15:00:00Z');
const EARLY_CLOSE = new Date('2026-11-27T18:00:00Z');
/** The next session's close: Monday 30 Nov, 16:00 New York. */
const NEXT_CLOSE = new Date('2026-11-30T21:00:00Z');
const SUNDAY = new Date('2026-11-29T15:00:00Z');

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

/** A schedule the test runs by hand: what is due, for when, and running the first. */
const handSchedule = () => {
  const due: { at: Date; work: () => Promise<void> }[] = [];
  return {
    due,
    scheduleAt: (at: Date, work: () => Promise<void>) => {
      const entry = { at, work };
      due.push(entry);
      return () => void due.splice(due.indexOf(entry), 1);
    },
    runFirst: async () => {
      const [first] = due.splice(0, 1);
      await first?.work();
    },
  };
};

await describeOnEachEngine('a stock order desk in its market session', (engine) => {
  let database: SqlDatabase;
  let funds: ReturnType<typeof recordingFunds>;
  /** Each test trades its own stock, so books do not carry over between them. */
  const openDesk = ({
    symbol,
    at,
    alwaysOpen = false,
    schedule = handSchedule(),
  }: {
    symbol: string;
    at: Date;
    alwaysOpen?: boolean;
    schedule?: ReturnType<typeof handSchedule>;
  }) => {
    const stock = listed(symbol);
    const instrument = tradingInstrumentOf(stock, walletScaleOf);
    return OrderBookDesk.open({
      instrument,
      funds: funds.funds,
      journal: postgresOrderBookJournal(
        'stock',
        database,
        new PostgresEventStore(database, { logger }),
        () => instrument,
      ),
      fees: { maker: exactDecimal('0.0005'), taker: exactDecimal('0.001') },
      clock: { now: () => at },
      session: stockSessionOf(stock, alwaysOpen),
      scheduleAt: schedule.scheduleAt,
      logger,
    });
  };
  const order = (
    orderId: string,
    userId: string,
    side: 'buy' | 'sell',
    lots: number,
    ticks: number | null,
    more: Partial<PlaceSpotOrder> = {},
  ): PlaceSpotOrder => ({
    orderId,
    userId,
    clientOrderId: orderId,
    side,
    orderType: 'limit',
    lots,
    ticks,
    stopTicks: null,
    timeInForce: 'DAY',
    ...more,
  });
  const statusOf = async (orderId: string) =>
    (await postgresOrderList(database, 'stock').byId(orderId))?.status;

  beforeAll(async () => {
    database = await engine.open();
    await migrate({ database, directories: migrationsOf([stockSubgraph]), logger });
  });
  beforeEach(() => {
    funds = recordingFunds();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('given the market is closed, when an order comes, then it is MARKET_CLOSED and nothing is held', async () => {
    const desk = await openDesk({ symbol: 'AAPL', at: SUNDAY });

    await expect(desk.place(order('closed-1', 'alice', 'buy', 1, 27_500))).rejects.toMatchObject({
      code: 'MARKET_CLOSED',
    });
    expect(funds.calls).toEqual([]);
  });

  it('given the demo setting keeps it open, when an order comes on a Sunday, then it rests', async () => {
    const desk = await openDesk({ symbol: 'MSFT', at: SUNDAY, alwaysOpen: true });
    await desk.place(order('sunday-1', 'alice', 'buy', 1, 10_000, { timeInForce: 'GTC' }));
    expect(await statusOf('sunday-1')).toBe('NEW');
    await desk.cancel('sunday-1');
  });

  it('given DAY and GTC orders, when the early close comes, then only the DAY order expires and its funds go back', async () => {
    const schedule = handSchedule();
    const desk = await openDesk({ symbol: 'NVDA', at: EARLY_CLOSE_MORNING, schedule });
    expect(schedule.due.map(({ at }) => at)).toEqual([EARLY_CLOSE]);
    await desk.place(order('day-1', 'alice', 'buy', 10, 27_500));
    await desk.place(order('gtc-1', 'alice', 'buy', 1, 27_500, { timeInForce: 'GTC' }));
    funds.calls.length = 0;

    await schedule.runFirst();

    expect(await statusOf('day-1')).toBe('EXPIRED');
    expect(await statusOf('gtc-1')).toBe('NEW');
    // 2,750 USD at the limit, the 0.1 % taker fee, two cents a share for rounding.
    expect(funds.calls).toEqual([
      ['release', { reservationId: 'day-1', amount: '2752.95', releaseId: 'day-1:end' }],
    ]);
    expect(schedule.due.map(({ at }) => at)).toEqual([NEXT_CLOSE]);
    await desk.cancel('gtc-1');
  });

  it('given a DAY order and a close that passed while the desk was down, when it starts, then the order expires', async () => {
    const desk = await openDesk({ symbol: 'AMZN', at: EARLY_CLOSE_MORNING });
    await desk.place(order('day-2', 'alice', 'sell', 3, 40_000));
    await desk.close();
    funds.calls.length = 0;

    await openDesk({ symbol: 'AMZN', at: SUNDAY });

    expect(await statusOf('day-2')).toBe('EXPIRED');
    expect(funds.calls).toEqual([
      ['release', { reservationId: 'day-2', amount: '3', releaseId: 'day-2:end' }],
    ]);
  });

  it('given a resting buy, when it is amended down and then up, then the reservation follows and fills draw on both parts', async () => {
    const desk = await openDesk({ symbol: 'GOOGL', at: EARLY_CLOSE_MORNING });
    await desk.place(order('amend-1', 'alice', 'buy', 10, 20_000));
    const { sequence } = desk.book.order('amend-1') ?? {};

    // Fewer shares: the place in the queue stays, 5 shares' worth goes back at once.
    await desk.amend({ orderId: 'amend-1', lots: 5 });
    expect(desk.book.order('amend-1')?.sequence).toBe(sequence);
    // A higher price: the extra is reserved first, under its own id, and the place is lost.
    await desk.amend({ orderId: 'amend-1', ticks: 21_000 });
    expect(desk.book.order('amend-1')?.sequence).not.toBe(sequence);
    await desk.place(order('amend-sell-1', 'bob', 'sell', 5, 21_000));

    const topUp = funds.calls
      .map(([, request]) => (request as { reservationId?: string }).reservationId)
      .find((id) => id?.startsWith('amend-1:'));
    expect(funds.calls).toEqual([
      // 2,000 USD + 2 USD taker fee + 0.20 rounding.
      ['reserve', { userId: 'alice', asset: 'USD', amount: '2002.20', reservationId: 'amend-1' }],
      ['release', { reservationId: 'amend-1', amount: '1001.10', releaseId: expect.any(String) }],
      // 5 at 210 needs 1,051.15; 1,001.10 is held.
      ['reserve', expect.objectContaining({ userId: 'alice', asset: 'USD', amount: '50.05' })],
      ['reserve', { userId: 'bob', asset: 'GOOGL', amount: '5', reservationId: 'amend-sell-1' }],
      [
        'settle',
        expect.objectContaining({
          // Bob receives 1,050 less his 1.05 taker fee: the original part first, then the top-up.
          debits: [
            { reservationId: 'amend-sell-1', amount: '5' },
            { reservationId: 'amend-1', amount: '1001.10' },
            { reservationId: topUp, amount: '47.85' },
          ],
          // Bob's 1.05 and alice's 0.525 maker fee, rounded up.
          fees: [{ reservationId: topUp, amount: '1.58' }],
        }),
      ],
      ['release', { reservationId: topUp, amount: '0.62', releaseId: `${topUp}:end` }],
    ]);
    expect(await postgresOrderList(database, 'stock').byId('amend-1')).toMatchObject({
      status: 'FILLED',
      quantity: '5',
      price: '210.00',
    });
  });

  it('given a stop-limit buy, when a trade reaches its stop, then it fires and fills within its limit', async () => {
    const desk = await openDesk({ symbol: 'TSLA', at: EARLY_CLOSE_MORNING });
    await desk.place(order('stop-sell-1', 'bob', 'sell', 2, 28_000));
    await desk.place(
      order('stop-1', 'alice', 'buy', 1, 30_000, { orderType: 'stop-limit', stopTicks: 28_000 }),
    );
    expect(funds.calls).toContainEqual([
      'reserve',
      // The worst it can cost: 300 at its limit, the taker fee, two cents.
      { userId: 'alice', asset: 'USD', amount: '300.32', reservationId: 'stop-1' },
    ]);
    expect(await statusOf('stop-1')).toBe('NEW');

    await desk.place(order('trigger-1', 'carol', 'buy', 1, 28_000));

    expect(await postgresOrderList(database, 'stock').byId('stop-1')).toMatchObject({
      type: 'STOP_LIMIT',
      status: 'FILLED',
      averagePrice: '280.00',
      price: '300.00',
      stopPrice: '280.00',
    });
  });
});
