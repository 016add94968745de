-- Event platform: event store, message log (bus + outbox), consumers, read models, search.
-- Logs number their rows from an identity sequence and record the writing transaction's id.
-- Readers never skip a position that may still commit: see docs/adr/0003-event-platform-on-postgres.md.

CREATE TABLE es_streams (
  stream_id   text PRIMARY KEY,
  version     bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE es_events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id  xid8 NOT NULL,
  event_id        text NOT NULL UNIQUE,
  stream_id       text NOT NULL,
  stream_version  bigint NOT NULL,
  event_type      text NOT NULL,
  schema_version  integer NOT NULL DEFAULT 1,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL DEFAULT '{}',
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (stream_id, stream_version)
);

CREATE TABLE es_snapshots (
  stream_id      text PRIMARY KEY,
  version        bigint NOT NULL,
  schema_version integer NOT NULL,
  state          jsonb NOT NULL,
  taken_at       timestamptz NOT NULL DEFAULT now()
);

-- Integration events: the bus of embedded and postgres modes, and the outbox that a
-- state change writes in its own transaction (CDC reads it in distributed mode).
CREATE TABLE bus_messages (
  position       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id xid8 NOT NULL,
  message_id     text NOT NULL UNIQUE,
  type           text NOT NULL,
  subject        text NOT NULL,
  envelope       jsonb NOT NULL,
  published_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE consumer_checkpoints (
  consumer   text PRIMARY KEY,
  position   bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Ids handled by idempotent handlers, written in the handler's own transaction.
CREATE TABLE processed_messages (
  consumer     text NOT NULL,
  message_id   text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);

CREATE TABLE dead_letters (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consumer    text NOT NULL,
  message_id  text NOT NULL,
  position    bigint NOT NULL,
  message     jsonb NOT NULL,
  error       text NOT NULL,
  attempts    integer NOT NULL,
  status      text NOT NULL DEFAULT 'parked'
              CHECK (status IN ('parked', 'replay_requested', 'resolved')),
  parked_at   timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
CREATE INDEX dead_letters_open ON dead_letters (consumer, status) WHERE status <> 'resolved';

CREATE TABLE read_model_documents (
  collection text NOT NULL,
  id         text NOT NULL,
  document   jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (collection, id)
);
CREATE INDEX read_model_documents_containment
  ON read_model_documents USING gin (document jsonb_path_ops);

CREATE TABLE search_documents (
  index_name text NOT NULL,
  id         text NOT NULL,
  title      text NOT NULL DEFAULT '',
  body       text NOT NULL DEFAULT '',
  attributes jsonb NOT NULL DEFAULT '{}',
  search     tsvector GENERATED ALWAYS AS (
               setweight(to_tsvector('english', title), 'A') ||
               setweight(to_tsvector('english', body), 'B')) STORED,
  PRIMARY KEY (index_name, id)
);
CREATE INDEX search_documents_search ON search_documents USING gin (search);
CREATE INDEX search_documents_attributes ON search_documents USING gin (attributes jsonb_path_ops);

-- Wake-ups for tailing readers; polling covers a missed notification.
CREATE FUNCTION notify_log_append() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(TG_ARGV[0], '');
  RETURN NULL;
END $$;

CREATE TRIGGER es_events_notify AFTER INSERT ON es_events
  FOR EACH STATEMENT EXECUTE FUNCTION notify_log_append('es_events');
CREATE TRIGGER bus_messages_notify AFTER INSERT ON bus_messages
  FOR EACH STATEMENT EXECUTE FUNCTION notify_log_append('bus_messages');
