CREATE SCHEMA IF NOT EXISTS notification;

CREATE TABLE notification.notifications (
  id          text PRIMARY KEY,
  user_id     text NOT NULL,
  type        text NOT NULL,
  title       text NOT NULL,
  body        text NOT NULL,
  created_at  timestamptz NOT NULL,
  read_at     timestamptz,
  viewed_at   timestamptz
);

-- Newest first per user, and the unread badge.
CREATE INDEX notifications_by_user ON notification.notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_by_user ON notification.notifications (user_id) WHERE read_at IS NULL;
