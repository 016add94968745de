-- A NOTIFY inside a transaction takes a database-wide lock at commit, which serialised
-- concurrent appends. Writers now notify after they commit, coalesced per process
-- (the outbox still notifies inside its caller's transaction).
DROP TRIGGER es_events_notify ON es_events;
DROP TRIGGER bus_messages_notify ON bus_messages;
DROP FUNCTION notify_log_append();
