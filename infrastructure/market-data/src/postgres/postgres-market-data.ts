import type {
  DayWindow,
  Kline,
  KlineInterval,
  KlineQuery,
  MarketDataReadModel,
  PriceTickProjectionStore,
  Ticker,
  TickerState,
} from '@simple-securities/market-data';
import type { SqlExecutor } from '@simple-securities/postgres';
import { checkedSchema } from './schema-name.js';

/**
 * Candles and tickers of one trading context, in that context's own Postgres
 * schema (`crypto`, `stock`). Prices and volumes are `numeric` columns, read back
 * as the exact decimal strings they were written as.
 */
interface KlineRow {
  symbol: string;
  interval: KlineInterval;
  open_time: Date;
  close_time: Date;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  quote_volume: string;
  trades: number;
}

const KLINE_COLUMNS =
  'symbol, interval, open_time, close_time, open, high, low, close, volume, quote_volume, trades';

const klineOf = (row: KlineRow): Kline => ({
  symbol: row.symbol,
  interval: row.interval,
  openTime: new Date(row.open_time),
  closeTime: new Date(row.close_time),
  open: row.open,
  high: row.high,
  low: row.low,
  close: row.close,
  volume: row.volume,
  quoteVolume: row.quote_volume,
  trades: Number(row.trades),
});

type StoredTicker = Omit<Ticker, 'time'> & { time: string };
type StoredWindow = Omit<DayWindow, 'minute'> & { minute: string };

const tickerOf = (stored: StoredTicker): Ticker => ({ ...stored, time: new Date(stored.time) });
const windowOf = (stored: StoredWindow): DayWindow => ({
  ...stored,
  minute: new Date(stored.minute),
});

export const postgresPriceTickStore = (
  tx: SqlExecutor,
  schemaName: string,
): PriceTickProjectionStore => {
  const schema = checkedSchema(schemaName);
  return {
    async klinesAt(symbol, buckets) {
      const { rows } = await tx.query<KlineRow>(
        `SELECT ${KLINE_COLUMNS.replace(/(\w+)/g, 'k.$1')} FROM ${schema}.klines k
          JOIN unnest($2::text[], $3::timestamptz[]) AS b(bucket_interval, bucket_open_time)
            ON k.interval = b.bucket_interval AND k.open_time = b.bucket_open_time
         WHERE k.symbol = $1`,
        [symbol, buckets.map((b) => b.interval), buckets.map((b) => b.openTime)],
      );
      return rows.map(klineOf);
    },
    async tickerState(symbol) {
      const { rows } = await tx.query<{ ticker: StoredTicker; day_window: StoredWindow }>(
        `SELECT ticker, day_window FROM ${schema}.tickers WHERE symbol = $1`,
        [symbol],
      );
      const row = rows[0];
      return row ? { ticker: tickerOf(row.ticker), window: windowOf(row.day_window) } : undefined;
    },
    async minutes(symbol, from, to) {
      const { rows } = await tx.query<KlineRow>(
        `SELECT ${KLINE_COLUMNS} FROM ${schema}.klines
          WHERE symbol = $1 AND interval = '1m' AND open_time >= $2 AND open_time < $3
          ORDER BY open_time`,
        [symbol, from, to],
      );
      return rows.map(klineOf);
    },
    async save(klines, state: TickerState) {
      await tx.query(
        `INSERT INTO ${schema}.klines (${KLINE_COLUMNS})
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[],
                              $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[],
                              $9::numeric[], $10::numeric[], $11::integer[])
         ON CONFLICT (symbol, interval, open_time) DO UPDATE SET
           high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
           volume = EXCLUDED.volume, quote_volume = EXCLUDED.quote_volume, trades = EXCLUDED.trades`,
        [
          klines.map((k) => k.symbol),
          klines.map((k) => k.interval),
          klines.map((k) => k.openTime),
          klines.map((k) => k.closeTime),
          klines.map((k) => k.open),
          klines.map((k) => k.high),
          klines.map((k) => k.low),
          klines.map((k) => k.close),
          klines.map((k) => k.volume),
          klines.map((k) => k.quoteVolume),
          klines.map((k) => k.trades),
        ],
      );
      await tx.query(
        `INSERT INTO ${schema}.tickers (symbol, ticker, day_window, updated_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (symbol) DO UPDATE SET
           ticker = EXCLUDED.ticker, day_window = EXCLUDED.day_window, updated_at = EXCLUDED.updated_at`,
        [
          state.ticker.symbol,
          JSON.stringify(state.ticker),
          JSON.stringify(state.window),
          state.ticker.time,
        ],
      );
    },
  };
};

export const postgresMarketDataReadModel = (
  db: SqlExecutor,
  schemaName: string,
): MarketDataReadModel => {
  const schema = checkedSchema(schemaName);
  return {
    async klines({ symbol, interval, limit, from, to }: KlineQuery) {
      const range = `symbol = $1 AND interval = $2
        AND ($3::timestamptz IS NULL OR open_time >= $3)
        AND ($4::timestamptz IS NULL OR open_time <= $4)`;
      const params = [symbol, interval, from ?? null, to ?? null, limit];
      // Like Binance: from a start time, the first candles after it; otherwise the latest ones.
      const sql = from
        ? `SELECT ${KLINE_COLUMNS} FROM ${schema}.klines WHERE ${range} ORDER BY open_time LIMIT $5`
        : `SELECT * FROM (SELECT ${KLINE_COLUMNS} FROM ${schema}.klines WHERE ${range}
             ORDER BY open_time DESC LIMIT $5) latest ORDER BY open_time`;
      const { rows } = await db.query<KlineRow>(sql, params);
      return rows.map(klineOf);
    },
    async ticker(symbol) {
      const { rows } = await db.query<{ ticker: StoredTicker }>(
        `SELECT ticker FROM ${schema}.tickers WHERE symbol = $1`,
        [symbol],
      );
      return rows[0] ? tickerOf(rows[0].ticker) : undefined;
    },
  };
};
