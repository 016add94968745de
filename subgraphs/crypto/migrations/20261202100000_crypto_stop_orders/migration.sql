-- Stop and stop-limit orders show their trigger price.
ALTER TABLE crypto.orders ADD COLUMN stop_price numeric;
