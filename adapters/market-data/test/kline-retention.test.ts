import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { migrate, platformMigrationsDir, type SqlDatabase } from '@simple-securities/postgres';
import { describeOnEachEngine } from '@simple-securities/postgres/testing';
import { pino } from 'pino';
import {
  postgresMarketDataReadModel,
  pruneOneSecondKlines,
  startKlineRetention,
} from '../src/index.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
/** The klines table as the crypto context creates it. */
const cryptoMigrations = fileURLToPath(
  new URL('../../../subgraphs/crypto/migrations/', import.meta.url),
);
const NOW = new Date('2026-03-02T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

const insertKline = (database: SqlDatabase, symbol: string, interval: string, openTime: Date) =>
  database.query(
    `INSERT INTO crypto.klines (symbol, interval, open_time, close_time, open, high, low, close,
                                volume, quote_volume, trades)
     VALUES ($1, $2, $3, $3, 1, 1, 1, 1, 1, 1, 1)`,
    [symbol, interval, openTime],
  );

const openTimes = async (database: SqlDatabase, symbol: string, interval: string) =>
  (
    await postgresMarketDataReadModel(database, 'crypto').klines({
      symbol,
      interval: interval as '1s',
      limit: 1000,
    })
  ).map((kline) => kline.openTime.toISOString());

await describeOnEachEngine('1s candle retention', (engine) => {
  let database: SqlDatabase;
  beforeAll(async () => {
    database = await engine.open();
    await migrate({ database, directories: [platformMigrationsDir, cryptoMigrations], logger });
  });
  afterAll(() => database.close());

  it('deletes 1s candles older than the period and keeps recent ones and longer intervals', async () => {
    for (const symbol of ['BTC-USDT', 'ETH-USDT']) {
      for (const age of [180, 120, 61, 59, 1])
        await insertKline(database, symbol, '1s', minutesAgo(age));
      await insertKline(database, symbol, '1m', minutesAgo(180));
    }

    const pruned = await pruneOneSecondKlines(database, 'crypto', {
      symbols: ['BTC-USDT', 'ETH-USDT'],
      olderThan: minutesAgo(60),
      batchSize: 2,
    });

    expect(pruned).toBe(6);
    for (const symbol of ['BTC-USDT', 'ETH-USDT']) {
      expect(await openTimes(database, symbol, '1s')).toEqual([
        minutesAgo(59).toISOString(),
        minutesAgo(1).toISOString(),
      ]);
      expect(await openTimes(database, symbol, '1m')).toEqual([minutesAgo(180).toISOString()]);
    }
  });

  it('prunes on a timer by the clock and the configured period', async () => {
    const retention = startKlineRetention({
      database,
      context: 'crypto',
      symbols: ['BTC-USDT', 'ETH-USDT'],
      clock: { now: () => NOW },
      retentionMinutes: 30,
      logger,
    });
    await retention.runNow();
    await retention.stop();
    expect(await openTimes(database, 'BTC-USDT', '1s')).toEqual([minutesAgo(1).toISOString()]);
    expect(await openTimes(database, 'ETH-USDT', '1m')).toEqual([minutesAgo(180).toISOString()]);
  });
});
