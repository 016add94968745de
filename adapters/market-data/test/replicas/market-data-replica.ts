/**
 * A second replica for the fan-out test, as its own OS process:
 * `node --import tsx market-data-replica.ts <postgres-url>`. Runs the crypto market-data
 * service on that database with a feed that stays silent, subscribes to every pair's
 * ticker and writes `ready`, then one line `ticker <symbol> <trades>` per ticker it
 * receives. Stops when its stdin closes.
 */
import { PostgresMessageBus, openPostgresServerDatabase } from '@simple-securities/postgres';
import {
  CRYPTO_PAIRS,
  InstrumentCatalog,
  PRICE_TICKED_EVENT_TYPES,
} from '@simple-securities/market-data';
import { pino } from 'pino';
import { startMarketDataService } from '../../src/market-data-service.js';
import { ManualPriceFeed } from '../../src/testing/index.js';

const [url = ''] = process.argv.slice(2);
const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' }, pino.destination(2));
const database = openPostgresServerDatabase(url);
const service = await startMarketDataService({
  context: 'crypto',
  catalog: new InstrumentCatalog(CRYPTO_PAIRS),
  feed: new ManualPriceFeed(),
  bus: new PostgresMessageBus(database, { logger }),
  database,
  eventType: PRICE_TICKED_EVENT_TYPES.CRYPTO,
  logger,
});

const tickers = service.live.tickers(CRYPTO_PAIRS.map((pair) => pair.symbol));
const received = (async () => {
  for await (const ticker of tickers)
    process.stdout.write(`ticker ${ticker.symbol} ${ticker.trades}\n`);
})();
process.stdout.write('ready\n');

process.stdin.resume();
process.stdin.on('end', () => {
  void (async () => {
    await service.stop();
    await received;
    await database.close();
  })();
});
