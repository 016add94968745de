import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import {
  CRYPTO_PAIRS,
  InstrumentCatalog,
  PRICE_TICKED_EVENT_TYPES,
  type PriceTick,
  type Ticker,
} from '@simple-securities/market-data';
import {
  PostgresMessageBus,
  migrate,
  openPostgresServerDatabase,
  platformMigrationsDir,
  type SqlDatabase,
} from '@simple-securities/postgres';
import { describeOnPostgresServer } from '@simple-securities/postgres/testing';
import { pino } from 'pino';
import { startMarketDataService, type MarketDataService } from '../src/market-data-service.js';
import { ManualPriceFeed } from '../src/testing/index.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const cryptoMigrations = fileURLToPath(
  new URL('../../../subgraphs/crypto/migrations/', import.meta.url),
);
const replicaScript = fileURLToPath(new URL('./replicas/market-data-replica.ts', import.meta.url));
const symbols = CRYPTO_PAIRS.map((pair) => pair.symbol);

/** One tick for every pair, at its reference price; `round` moves them a second on. */
const ticksOfRound = (round: number): PriceTick[] =>
  CRYPTO_PAIRS.map((pair) => ({
    symbol: pair.symbol,
    price: pair.referencePrice,
    quantity: pair.lotSize,
    time: new Date(Date.UTC(2026, 2, 2, 12, 0, round)),
  }));

/** Each pair's `trades` count as the subscriber saw it, in the order it saw them. */
type TradesSeen = Map<string, number[]>;
const sawTicker = (seen: TradesSeen, symbol: string, trades: number) =>
  seen.set(symbol, [...(seen.get(symbol) ?? []), trades]);
const sawAll = (seen: TradesSeen, trades: number) =>
  symbols.every((symbol) => seen.get(symbol)?.at(-1) === trades);

/** Replica B: the market-data service in its own OS process, reporting what its subscriber hears. */
const startReplicaProcess = (url: string) => {
  const child = spawn(process.execPath, ['--import', 'tsx', replicaScript, url], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const seen: TradesSeen = new Map();
  const waiters: (() => void)[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`replica process exited early with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'ready') resolve();
      const [kind, symbol, trades] = line.split(' ');
      if (kind === 'ticker' && symbol && trades) sawTicker(seen, symbol, Number(trades));
      waiters.splice(0).forEach((wake) => wake());
    });
  });
  return {
    seen,
    ready,
    /** Resolves once every pair's ticker has reached `trades`. */
    sawAll: (trades: number) =>
      new Promise<void>((resolve) => {
        const check = () => (sawAll(seen, trades) ? resolve() : waiters.push(check));
        check();
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.on('exit', () => resolve());
        child.stdin.end();
      }),
  };
};

/** A subscriber to every pair's ticker on an in-process replica. */
const subscribeInProcess = (service: MarketDataService) => {
  const seen: TradesSeen = new Map();
  const tickers = service.live.tickers(symbols);
  const waiters: (() => void)[] = [];
  void (async () => {
    for await (const ticker of tickers as AsyncIterable<Ticker>) {
      sawTicker(seen, ticker.symbol, ticker.trades);
      waiters.splice(0).forEach((wake) => wake());
    }
  })();
  return {
    seen,
    sawAll: (trades: number) =>
      new Promise<void>((resolve) => {
        const check = () => (sawAll(seen, trades) ? resolve() : waiters.push(check));
        check();
      }),
  };
};

await describeOnPostgresServer('live market data on two replicas', (server) => {
  let drop: () => Promise<void>;
  let database: SqlDatabase;
  let feed: ManualPriceFeed;
  let replicaA: MarketDataService;
  let replicaB: ReturnType<typeof startReplicaProcess>;

  beforeAll(async () => {
    const scratch = await server.createDatabase();
    drop = scratch.drop;
    database = openPostgresServerDatabase(scratch.url);
    await migrate({ database, directories: [platformMigrationsDir, cryptoMigrations], logger });
    replicaB = startReplicaProcess(scratch.url);
    await replicaB.ready;
    feed = new ManualPriceFeed();
    replicaA = await startMarketDataService({
      context: 'crypto',
      catalog: new InstrumentCatalog(CRYPTO_PAIRS),
      feed,
      bus: new PostgresMessageBus(database, { logger }),
      database,
      eventType: PRICE_TICKED_EVENT_TYPES.CRYPTO,
      logger,
    });
  }, 60_000);

  afterAll(async () => {
    await replicaB?.stop();
    await replicaA?.stop();
    await database?.close();
    await drop?.();
  });

  it("delivers every recorded tick once to each replica's subscribers, whichever replica consumed it", async () => {
    const onA = subscribeInProcess(replicaA);

    feed.emit(...ticksOfRound(1));
    await Promise.all([onA.sawAll(1), replicaB.sawAll(1)]);
    // A second round after the first has arrived everywhere: a tick delivered twice would
    // show up between them.
    feed.emit(...ticksOfRound(2));
    await Promise.all([onA.sawAll(2), replicaB.sawAll(2)]);

    const expected = new Map(symbols.map((symbol) => [symbol, [1, 2]]));
    expect(replicaB.seen).toEqual(expected);
    expect(onA.seen).toEqual(expected);
  }, 60_000);
});
