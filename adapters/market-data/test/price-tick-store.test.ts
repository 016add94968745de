import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { migrate, platformMigrationsDir, type SqlDatabase } from '@simple-securities/postgres';
import { describeOnEachEngine } from '@simple-securities/postgres/testing';
import { recordPriceTick, type PriceTick } from '@simple-securities/market-data';
import { pino } from 'pino';
import { postgresMarketDataReadModel, postgresPriceTickStore } from '../src/index.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const cryptoMigrations = fileURLToPath(
  new URL('../../../subgraphs/crypto/migrations/', import.meta.url),
);

/** Ticks crossing a minute boundary, so candles open, grow and roll over. */
const ticks = (symbol: string): PriceTick[] =>
  [
    ['2026-03-02T11:59:58.100Z', '100.00', '1'],
    ['2026-03-02T11:59:59.500Z', '103.50', '2'],
    ['2026-03-02T11:59:59.900Z', '99.25', '0.5'],
    ['2026-03-02T12:00:00.200Z', '101.00', '1.5'],
    ['2026-03-02T12:00:01.700Z', '102.75', '3'],
  ].map(([time, price, quantity]) => ({
    symbol,
    price: price as string,
    quantity: quantity as string,
    time: new Date(time as string),
  }));

await describeOnEachEngine('the price-tick projection store', (engine) => {
  let database: SqlDatabase;
  beforeAll(async () => {
    database = await engine.open();
    await migrate({ database, directories: [platformMigrationsDir, cryptoMigrations], logger });
  });
  afterAll(() => database.close());

  const candlesAndTicker = async (symbol: string) => {
    const readModel = postgresMarketDataReadModel(database, 'crypto');
    const strip = <T extends { symbol: string }>(row: T) => ({ ...row, symbol: 'any' });
    return {
      seconds: (await readModel.klines({ symbol, interval: '1s', limit: 10 })).map(strip),
      minutes: (await readModel.klines({ symbol, interval: '1m', limit: 10 })).map(strip),
      days: (await readModel.klines({ symbol, interval: '1d', limit: 10 })).map(strip),
      ticker: strip((await readModel.ticker(symbol)) ?? { symbol }),
    };
  };

  it('records a batch of ticks in one transaction exactly as one transaction per tick', async () => {
    for (const tick of ticks('ONE-BY-ONE'))
      await database.transaction((tx) =>
        recordPriceTick(postgresPriceTickStore(tx, 'crypto'))(tick),
      );
    await database.transaction(async (tx) => {
      for (const tick of ticks('BATCHED'))
        await recordPriceTick(postgresPriceTickStore(tx, 'crypto'))(tick);
    });

    const batched = await candlesAndTicker('BATCHED');
    expect(batched).toEqual(await candlesAndTicker('ONE-BY-ONE'));
    expect(
      batched.minutes.map((kline) => [kline.open, kline.high, kline.low, kline.close]),
    ).toEqual([
      ['100.00', '103.50', '99.25', '99.25'],
      ['101.00', '102.75', '101.00', '102.75'],
    ]);
    expect(batched.days[0]).toMatchObject({ trades: 5, volume: '8' });
  });

  it('forgets what a rolled-back transaction wrote', async () => {
    const [first, second] = ticks('ROLLED-BACK');
    await expect(
      database.transaction(async (tx) => {
        await recordPriceTick(postgresPriceTickStore(tx, 'crypto'))(first as PriceTick);
        throw new Error('the batch failed');
      }),
    ).rejects.toThrow('the batch failed');
    await database.transaction((tx) =>
      recordPriceTick(postgresPriceTickStore(tx, 'crypto'))(second as PriceTick),
    );
    const { minutes } = await candlesAndTicker('ROLLED-BACK');
    expect(minutes).toEqual([expect.objectContaining({ open: '103.50', trades: 1, volume: '2' })]);
  });
});
