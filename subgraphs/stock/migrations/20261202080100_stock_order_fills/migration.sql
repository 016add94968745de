-- The orders list of both trading contexts shows fills and the time in force.
ALTER TABLE stock.orders
  ADD COLUMN time_in_force   text    NOT NULL DEFAULT 'DAY',
  ADD COLUMN filled_quantity numeric NOT NULL DEFAULT 0,
  ADD COLUMN filled_notional numeric NOT NULL DEFAULT 0,
  ADD COLUMN average_price   numeric;
