-- Stock market data read models: candles per interval, the latest ticker per stock,
-- and the orders list that the trading features fill.
CREATE SCHEMA IF NOT EXISTS stock;

CREATE TABLE stock.klines (
  symbol        text        NOT NULL,
  interval      text        NOT NULL,
  open_time     timestamptz NOT NULL,
  close_time    timestamptz NOT NULL,
  open          numeric     NOT NULL,
  high          numeric     NOT NULL,
  low           numeric     NOT NULL,
  close         numeric     NOT NULL,
  volume        numeric     NOT NULL,
  quote_volume  numeric     NOT NULL,
  trades        integer     NOT NULL,
  PRIMARY KEY (symbol, interval, open_time)
);

-- The latest price and 24-hour statistics per stock, with the day window they came from.
CREATE TABLE stock.tickers (
  symbol      text PRIMARY KEY,
  ticker      jsonb       NOT NULL,
  day_window  jsonb       NOT NULL,
  updated_at  timestamptz NOT NULL
);

CREATE TABLE stock.orders (
  id               text PRIMARY KEY,
  user_id          text        NOT NULL,
  client_order_id  text        NOT NULL,
  symbol           text        NOT NULL,
  side             text        NOT NULL CHECK (side IN ('BUY', 'SELL')),
  type             text        NOT NULL,
  status           text        NOT NULL,
  quantity         numeric     NOT NULL,
  price            numeric,
  created_at       timestamptz NOT NULL,
  UNIQUE (user_id, client_order_id)
);
CREATE INDEX orders_by_user ON stock.orders (user_id, created_at DESC, id DESC);
