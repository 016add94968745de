import { afterEach, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { migrate, openPgliteDatabase, PostgresMessageBus } from '@simple-securities/postgres';
import { loadConfig, migrationsOf, type RunningService } from '@simple-securities/service-kit';
import { eventually, postGraphQL } from '@simple-securities/market-data-adapters/testing';
import { systemClock } from '@simple-securities/shared-kernel';
import { cryptoSubgraph, startCryptoService } from '../src/composition-root.js';
import { cryptoConfig } from '../src/config.js';
import { startStreamServer, trade } from './support/binance-stream-server.js';

/**
 * `PRICE_FEED=binance` on a machine that cannot reach Binance: the local stream
 * server stands in for it, and is taken down.
 */
describe('crypto subgraph with PRICE_FEED=binance while the stream is down', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const start = async (streamUrl: string) => {
    const lines: { msg: string; retryInMs?: number }[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) },
    );
    const database = await openPgliteDatabase();
    await migrate({ database, directories: migrationsOf([cryptoSubgraph]), logger });
    const service: RunningService = await startCryptoService({
      database,
      bus: new PostgresMessageBus(database, { logger }),
      logger,
      clock: systemClock,
      config: loadConfig(cryptoConfig, { PRICE_FEED: 'binance', BINANCE_WS_URL: streamUrl }),
      server: { port: 0, host: '127.0.0.1', internalToken: 'binance-offline-test-token' },
    });
    cleanups.push(async () => {
      await service.stop();
      await database.close();
    });
    const ticker = async () =>
      (
        await postGraphQL<{ ticker: { lastPrice: string; stale: boolean } | null }>(
          service.url,
          '{ ticker(symbol: "BTC-USDT") { lastPrice stale } }',
        )
      ).data?.ticker;
    const unreachable = () => lines.filter((line) => /unreachable.*retrying/.test(line.msg));
    return { service, ticker, unreachable };
  };

  it('keeps serving the last known prices, flagged stale, and retries with backoff', async () => {
    const stream = await startStreamServer();
    const { ticker, unreachable } = await start(stream.url);
    await eventually(async () => (stream.connections.length === 1 ? true : undefined));
    stream.latest().send(trade('BTCUSDT', '91000.00', '0.5', Date.now(), 1));
    expect(await eventually(async () => (await ticker()) ?? undefined)).toEqual({
      lastPrice: '91000.00',
      stale: false,
    });

    await stream.close();
    expect(await eventually(async () => ((await ticker())?.stale ? ticker() : undefined))).toEqual({
      lastPrice: '91000.00',
      stale: true,
    });
    // Each failed attempt is logged with when the next one comes, at growing intervals.
    const attempts = await eventually(async () =>
      unreachable().length >= 2 ? unreachable() : undefined,
    );
    expect(attempts[0]?.msg).toMatch(/Binance stream unreachable \(.*ECONNREFUSED.*\)/);
    expect(attempts[1]!.retryInMs).toBeGreaterThan(0);
  });

  it('starts and serves when the stream is unreachable from the beginning', async () => {
    const stream = await startStreamServer();
    await stream.close();
    const { service, ticker, unreachable } = await start(stream.url);
    const { data } = await postGraphQL<{ cryptoPairs: { symbol: string }[] }>(
      service.url,
      '{ cryptoPairs { symbol } }',
    );
    expect(data?.cryptoPairs.length).toBeGreaterThan(0);
    expect(await ticker()).toBeNull();
    await eventually(async () => (unreachable().length >= 1 ? true : undefined));
  });
});
