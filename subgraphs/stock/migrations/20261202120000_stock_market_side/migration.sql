-- The read side of the order books (ADR 0025), projected from each book's events in the
-- transaction that appends them.

-- Each book's version, so a reader knows how current the levels it read are.
CREATE TABLE stock.books (
  symbol      text PRIMARY KEY,
  sequence    integer     NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- The open orders with a price; the resting ones sum to the book's price levels.
CREATE TABLE stock.book_orders (
  order_id  text PRIMARY KEY,
  symbol    text    NOT NULL,
  side      text    NOT NULL,
  price     numeric NOT NULL,
  quantity  numeric NOT NULL,
  filled    numeric NOT NULL DEFAULT 0,
  -- A stop-limit order waits off the book until it is triggered.
  resting   boolean NOT NULL
);
CREATE INDEX book_orders_levels ON stock.book_orders (symbol, side, price) WHERE resting;

-- The market's tape: one row per trade, id `<symbol>:<sequence>`.
CREATE TABLE stock.trades (
  symbol       text        NOT NULL,
  sequence     integer     NOT NULL,
  price        numeric     NOT NULL,
  quantity     numeric     NOT NULL,
  taker_side   text        NOT NULL,
  executed_at  timestamptz NOT NULL,
  PRIMARY KEY (symbol, sequence)
);

-- Each user's side of each trade.
CREATE TABLE stock.fills (
  symbol       text        NOT NULL,
  sequence     integer     NOT NULL,
  liquidity    text        NOT NULL,
  user_id      text        NOT NULL,
  order_id     text        NOT NULL,
  side         text        NOT NULL,
  price        numeric     NOT NULL,
  quantity     numeric     NOT NULL,
  fee          numeric     NOT NULL,
  fee_asset    text        NOT NULL,
  executed_at  timestamptz NOT NULL,
  PRIMARY KEY (symbol, sequence, liquidity)
);
CREATE INDEX fills_by_user ON stock.fills (user_id, executed_at DESC, symbol DESC, sequence DESC);

-- What each user's fills add up to per instrument (average cost, fees in the cost).
CREATE TABLE stock.positions (
  user_id         text    NOT NULL,
  symbol          text    NOT NULL,
  currency        text    NOT NULL,
  currency_scale  integer NOT NULL,
  quantity        numeric NOT NULL,
  cost_basis      numeric NOT NULL,
  realised_pnl    numeric NOT NULL,
  PRIMARY KEY (user_id, symbol)
);
