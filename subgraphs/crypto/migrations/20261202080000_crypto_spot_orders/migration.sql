-- Spot orders: what the order projection keeps beyond the list's first columns.
ALTER TABLE crypto.orders
  ADD COLUMN time_in_force   text    NOT NULL DEFAULT 'GTC',
  ADD COLUMN filled_quantity numeric NOT NULL DEFAULT 0,
  -- Σ price × quantity of the fills, in the quote asset, exact.
  ADD COLUMN filled_notional numeric NOT NULL DEFAULT 0,
  ADD COLUMN average_price   numeric;
CREATE INDEX orders_by_user_status ON crypto.orders (user_id, status, created_at DESC, id DESC);
