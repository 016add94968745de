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

/**
 * The candles and tickers one transaction has read or written. The market-data
 * consumer handles a batch of ticks in one transaction, mostly for the same
 * few symbols, so each candle and ticker is read from the database once per
 * batch; the rows written since are the ones this transaction holds.
 */
interface TransactionView {
  readonly klines: Map<string, Kline>;
  readonly tickers: Map<string, TickerState>;
}

const views = new WeakMap<SqlExecutor, Map<string, TransactionView>>();

const viewOf = (tx: SqlExecutor, schema: string): TransactionView => {
  let bySchema = views.get(tx);
  if (!bySchema) views.set(tx, (bySchema = new Map()));
  let view = bySchema.get(schema);
  if (!view) bySchema.set(schema, (view = { klines: new Map(), tickers: new Map() }));
  return view;
};

const klineKey = (symbol: string, interval: KlineInterval, openTime: Date) =>
  `${symbol} ${interval} ${openTime.getTime()}`;

export const postgresPriceTickStore = (
  tx: SqlExecutor,
  schemaName: string,
): PriceTickProjectionStore => {
  const schema = checkedSchema(schemaName);
  const view = viewOf(tx, schema);
  return {
    async klinesAt(symbol, buckets) {
      const known: Kline[] = [];
      const missing: { interval: KlineInterval; openTime: Date }[] = [];
      for (const bucket of buckets) {
        const kline = view.klines.get(klineKey(symbol, bucket.interval, bucket.openTime));
        if (kline) known.push(kline);
        else missing.push(bucket);
      }
      if (missing.length === 0) return known;
      const { rows } = await tx.query<KlineRow>(
        `SELECT ${KLINE_COLUMNS.replace(/(\w+)/g, 'k.$1')} FROM ${schema}.klines k
          JOIN unnest($2::text[], $3::timestamptz[]) AS b(bucket_interval, bucket_open_time)
            ON k.interval = b.bucket_interval AND k.open_time = b.bucket_open_time
         WHERE k.symbol = $1`,
        [symbol, missing.map((b) => b.interval), missing.map((b) => b.openTime)],
      );
      const loaded = rows.map(klineOf);
      for (const kline of loaded)
        view.klines.set(klineKey(symbol, kline.interval, kline.openTime), kline);
      return [...known, ...loaded];
    },
    async tickerState(symbol) {
      const known = view.tickers.get(symbol);
      if (known) return known;
      const { rows } = await tx.query<{ ticker: StoredTicker; day_window: StoredWindow }>(
        `SELECT ticker, day_window FROM ${schema}.tickers WHERE symbol = $1`,
        [symbol],
      );
      const row = rows[0];
      if (!row) return undefined;
      const state = { ticker: tickerOf(row.ticker), window: windowOf(row.day_window) };
      view.tickers.set(symbol, state);
      return state;
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
      // One round trip for both tables.
      await tx.query(
        `WITH saved_klines AS (
           INSERT INTO ${schema}.klines (${KLINE_COLUMNS})
           SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[],
                                $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[],
                                $9::numeric[], $10::numeric[], $11::integer[])
           ON CONFLICT (symbol, interval, open_time) DO UPDATE SET
             high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
             volume = EXCLUDED.volume, quote_volume = EXCLUDED.quote_volume, trades = EXCLUDED.trades
         )
         INSERT INTO ${schema}.tickers (symbol, ticker, day_window, updated_at)
         VALUES ($12, $13, $14, $15)
         ON CONFLICT (symbol) DO UPDATE SET
           ticker = EXCLUDED.ticker, day_window = EXCLUDED.day_window, updated_at = EXCLUDED.updated_at`,
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
          state.ticker.symbol,
          JSON.stringify(state.ticker),
          JSON.stringify(state.window),
          state.ticker.time,
        ],
      );
      for (const kline of klines)
        view.klines.set(klineKey(kline.symbol, kline.interval, kline.openTime), kline);
      view.tickers.set(state.ticker.symbol, state);
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
