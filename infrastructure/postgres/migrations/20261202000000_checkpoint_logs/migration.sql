-- A consumer group's checkpoint is a position in one log: the bus (bus_messages) or the
-- event store (es_events, read by projections). The log is now a column of its own; it was
-- told only by a 'projection:' prefix on the consumer's name.
ALTER TABLE consumer_checkpoints ADD COLUMN log text NOT NULL DEFAULT 'bus_messages'
  CHECK (log IN ('bus_messages', 'es_events'));
UPDATE consumer_checkpoints SET log = 'es_events' WHERE consumer LIKE 'projection:%';
ALTER TABLE consumer_checkpoints ALTER COLUMN log DROP DEFAULT;

-- Every row already records the transaction that inserted it (the system column xmin).
-- The copy in transaction_id was never read: what the gap-safe readers rely on is that a
-- writer takes its transaction id before it draws a position, which the writers' statements
-- still do (see docs/adr/0003-event-platform-on-postgres.md).
ALTER TABLE es_events DROP COLUMN transaction_id;
ALTER TABLE bus_messages DROP COLUMN transaction_id;
