-- Stock orders are placed now: the trigger of stop orders, and the list by status.
ALTER TABLE stock.orders ADD COLUMN stop_price numeric;
CREATE INDEX orders_by_user_status ON stock.orders (user_id, status, created_at DESC, id DESC);
