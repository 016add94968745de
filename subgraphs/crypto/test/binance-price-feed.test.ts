import { afterEach, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { CRYPTO_PAIRS, type PriceTick } from '@simple-securities/market-data';
import { eventually } from '@simple-securities/market-data-adapters/testing';
import { BinancePriceFeed } from '../src/adapters/binance-price-feed.js';
import { startStreamServer, trade } from './support/binance-stream-server.js';

const kline = (
  symbol: string,
  openTime: number,
  close: string,
  volume: string,
  eventTime: number,
) =>
  JSON.stringify({
    stream: `${symbol.toLowerCase()}@kline_1m`,
    data: {
      e: 'kline',
      E: eventTime,
      s: symbol,
      k: {
        t: openTime,
        T: openTime + 59_999,
        s: symbol,
        i: '1m',
        f: 100,
        L: 200,
        o: '0.0010',
        c: close,
        h: '0.0025',
        l: '0.0015',
        v: volume,
        n: 100,
        x: false,
        q: '1.0000',
        V: '500',
        Q: '0.500',
        B: '123456',
      },
    },
  });

const pairs = CRYPTO_PAIRS.filter((pair) => ['BTC-USDT', 'ETH-USDT'].includes(pair.symbol));
const logger = pino({ level: 'silent' });

describe('Binance price feed against a local stream server', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const start = async (options: { stream?: 'trade' | 'kline'; staleAfterMs?: number } = {}) => {
    const server = await startStreamServer();
    const feed = new BinancePriceFeed({
      url: server.url,
      instruments: pairs,
      stream: options.stream ?? 'trade',
      staleAfterMs: options.staleAfterMs ?? 5_000,
      logger,
      backoff: { initialMs: 20, maxMs: 200 },
    });
    const ticks: PriceTick[] = [];
    await feed.start((tick) => ticks.push(tick));
    cleanups.push(server.close, () => feed.stop());
    await eventually(async () => (server.connections.length === 1 ? true : undefined));
    return { server, feed, ticks };
  };

  it('subscribes to the combined stream and turns trade frames into ticks on the instrument grid', async () => {
    const { server, ticks } = await start();
    expect(server.connections[0]?.path).toBe('/stream?streams=btcusdt@trade/ethusdt@trade');
    server.latest().send(trade('BTCUSDT', '91000.12000000', '0.00150000', 1_768_402_800_000, 1));
    server.latest().send(trade('ETHUSDT', '3100.50000000', '1.20000000', 1_768_402_800_100, 2));
    server.latest().send('{"result":null,"id":1}');
    server.latest().send(trade('DOGEUSDT', '0.15', '10', 1_768_402_800_200, 3)); // not listed here
    await eventually(async () => (ticks.length === 2 ? true : undefined));
    expect(ticks).toEqual([
      {
        symbol: 'BTC-USDT',
        price: '91000.12',
        quantity: '0.0015',
        time: new Date(1_768_402_800_000),
      },
      { symbol: 'ETH-USDT', price: '3100.50', quantity: '1.2', time: new Date(1_768_402_800_100) },
    ]);
  });

  it('reconnects with backoff after the server drops the connection, and subscribes again', async () => {
    const { server, feed, ticks } = await start();
    server.latest().send(trade('BTCUSDT', '91000.00', '0.1', 1_000, 1));
    await eventually(async () => (ticks.length === 1 ? true : undefined));
    server.latest().terminate();
    await eventually(async () => (server.connections.length === 2 ? true : undefined));
    expect(server.connections[1]?.path).toBe(server.connections[0]?.path);
    server.latest().send(trade('BTCUSDT', '91001.00', '0.2', 2_000, 2));
    await eventually(async () => (ticks.length === 2 ? true : undefined));
    expect(ticks.map((tick) => tick.price)).toEqual(['91000.00', '91001.00']);
    expect(feed.connections).toBe(2);
  });

  it('keeps retrying while the server refuses connections', async () => {
    const { server, ticks } = await start();
    // Every new connection is dropped at once three times, then the server behaves.
    let refusals = 3;
    server.latest().terminate();
    await eventually(async () => {
      const latest = server.connections.at(-1)!;
      if (server.connections.length < 2) return undefined;
      if (refusals > 0 && latest.socket.readyState === latest.socket.OPEN) {
        refusals -= 1;
        latest.socket.terminate();
        return undefined;
      }
      return refusals === 0 ? true : undefined;
    });
    await eventually(async () =>
      server.latest().readyState === server.latest().OPEN ? true : undefined,
    );
    server.latest().send(trade('ETHUSDT', '3000.00', '1', 3_000, 3));
    await eventually(async () => (ticks.length === 1 ? true : undefined));
    expect(server.connections.length).toBeGreaterThanOrEqual(5);
  });

  it('treats a silent connection as dead and reconnects, but server pings keep it alive', async () => {
    const { server } = await start({ staleAfterMs: 300 });
    // Pings every 100 ms (answered by ws with pongs) keep the connection alive past the stale limit.
    const pinger = setInterval(() => server.latest().ping(), 100);
    await new Promise((resolve) => setTimeout(resolve, 900));
    clearInterval(pinger);
    expect(server.connections).toHaveLength(1);
    // Silence: no frames, no pings. The client gives up on the connection and opens another.
    await eventually(async () => (server.connections.length === 2 ? true : undefined), {
      timeoutMs: 3_000,
    });
  });

  it('follows kline payloads, ticking the volume traded since the previous update', async () => {
    const { server, ticks } = await start({ stream: 'kline' });
    expect(server.connections[0]?.path).toBe('/stream?streams=btcusdt@kline_1m/ethusdt@kline_1m');
    const minute = 1_768_402_800_000;
    server.latest().send(kline('BTCUSDT', minute, '91000.00', '1.5', minute + 1_000));
    server.latest().send(kline('BTCUSDT', minute, '91010.00', '1.5', minute + 3_000)); // no new volume
    server.latest().send(kline('BTCUSDT', minute, '91020.00', '2.25', minute + 5_000));
    server.latest().send(kline('BTCUSDT', minute + 60_000, '91030.00', '0.1', minute + 61_000));
    await eventually(async () => (ticks.length === 3 ? true : undefined));
    expect(ticks.map(({ price, quantity }) => [price, quantity])).toEqual([
      ['91000.00', '1.5'],
      ['91020.00', '0.75'],
      ['91030.00', '0.1'],
    ]);
  });
});
