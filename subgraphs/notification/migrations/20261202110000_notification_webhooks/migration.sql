-- Each user's webhook: where their new notifications are pushed, when enabled.
CREATE TABLE notification.webhooks (
  user_id     text PRIMARY KEY,
  url         text NOT NULL,
  enabled     boolean NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- The outbox of pushes: one row per notification to push, written in the notification's
-- own transaction, so a restart finds every push not yet finished.
CREATE TABLE notification.push_deliveries (
  notification_id  text PRIMARY KEY REFERENCES notification.notifications (id),
  user_id          text NOT NULL,
  -- PENDING until DELIVERED or FAILED (attempts used up, or a refusal no retry can change).
  status           text NOT NULL,
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  -- A deliverer holds the push until then; another may take it once it has passed.
  claimed_until    timestamptz
);

CREATE INDEX push_deliveries_due ON notification.push_deliveries (next_attempt_at)
  WHERE status = 'PENDING';

-- Every attempt, for the webhook's owner to read.
CREATE TABLE notification.push_attempts (
  notification_id  text NOT NULL,
  attempt          integer NOT NULL,
  user_id          text NOT NULL,
  status           text NOT NULL,
  http_status      integer,
  error            text,
  at               timestamptz NOT NULL,
  PRIMARY KEY (notification_id, attempt)
);

CREATE INDEX push_attempts_by_user ON notification.push_attempts (user_id, at DESC, notification_id DESC, attempt DESC);
