import { DomainError, type Page } from '@simple-securities/shared-kernel';
import type {
  DuePush,
  NotificationWebhooks,
  PushAttempt,
  PushAttemptStatus,
  PushDeliveries,
  PushQueue,
} from '@simple-securities/notification';
import type { SqlExecutor } from '@simple-securities/postgres';
import { type NotificationRow, toNotification } from './postgres-notifications.js';

interface AttemptRow {
  notification_id: string;
  user_id: string;
  attempt: number;
  status: string;
  http_status: number | null;
  error: string | null;
  at: Date;
}

const toAttempt = (row: AttemptRow): PushAttempt => ({
  notificationId: row.notification_id,
  userId: row.user_id,
  attempt: row.attempt,
  status: row.status as PushAttemptStatus,
  httpStatus: row.http_status,
  error: row.error,
  at: new Date(row.at),
});

/** Cursors point at the list's sort key (at, notification, attempt). */
const encodeCursor = (a: PushAttempt) =>
  Buffer.from(JSON.stringify([a.at.toISOString(), a.notificationId, a.attempt])).toString(
    'base64url',
  );

const decodeCursor = (cursor: string): [Date, string, number] => {
  try {
    const [at, id, attempt] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
      unknown,
    ];
    const time = new Date(String(at));
    if (typeof id === 'string' && Number.isInteger(attempt) && !Number.isNaN(time.getTime()))
      return [time, id, attempt as number];
  } catch {
    // falls through to the refusal below
  }
  throw new DomainError('BAD_USER_INPUT', 'The "after" cursor is not valid.');
};

/** Each user's webhook setting. */
export const postgresNotificationWebhooks = (db: SqlExecutor): NotificationWebhooks => ({
  async find(userId) {
    const { rows } = await db.query<{
      user_id: string;
      url: string;
      enabled: boolean;
      updated_at: Date;
    }>('SELECT * FROM notification.webhooks WHERE user_id = $1', [userId]);
    const row = rows[0];
    return (
      row && {
        userId: row.user_id,
        url: row.url,
        enabled: row.enabled,
        updatedAt: new Date(row.updated_at),
      }
    );
  },

  async save(webhook) {
    await db.query(
      `INSERT INTO notification.webhooks (user_id, url, enabled, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id) DO UPDATE SET url = $2, enabled = $3, updated_at = $4`,
      [webhook.userId, webhook.url, webhook.enabled, webhook.updatedAt],
    );
  },
});

/** The push outbox; give it the executor of the notification's own transaction. */
export const postgresPushQueue = (tx: SqlExecutor): PushQueue => ({
  async enqueue(notification) {
    await tx.query(
      `INSERT INTO notification.push_deliveries (notification_id, user_id, status, next_attempt_at)
       SELECT $1, user_id, 'PENDING', $2 FROM notification.webhooks WHERE user_id = $3 AND enabled
       ON CONFLICT (notification_id) DO NOTHING`,
      [notification.id, notification.createdAt, notification.userId],
    );
  },
});

/**
 * Pending pushes and their attempts. A claim is a lease (`claimed_until`), taken with
 * SKIP LOCKED, so replicas share the work and a push whose deliverer died is taken
 * again once its lease has passed.
 */
export const postgresPushDeliveries = (db: SqlExecutor): PushDeliveries => ({
  async claimDue(now, limit, leaseMs) {
    const { rows } = await db.query<NotificationRow & { attempts: number; url: string }>(
      `WITH due AS (
         SELECT d.notification_id FROM notification.push_deliveries d
           JOIN notification.webhooks w ON w.user_id = d.user_id AND w.enabled
          WHERE d.status = 'PENDING' AND d.next_attempt_at <= $1
            AND (d.claimed_until IS NULL OR d.claimed_until <= $1)
          ORDER BY d.next_attempt_at
          LIMIT $2
            FOR UPDATE OF d SKIP LOCKED
       ), claimed AS (
         UPDATE notification.push_deliveries d SET claimed_until = $3
           FROM due WHERE d.notification_id = due.notification_id
         RETURNING d.notification_id, d.attempts, d.user_id
       )
       SELECT n.*, claimed.attempts, w.url FROM claimed
         JOIN notification.notifications n ON n.id = claimed.notification_id
         JOIN notification.webhooks w ON w.user_id = claimed.user_id`,
      [now, limit, new Date(now.getTime() + leaseMs)],
    );
    return rows.map((row): DuePush => ({
      notification: toNotification(row),
      url: row.url,
      attempt: row.attempts + 1,
    }));
  },

  async record(attempt, next) {
    // One statement: the attempt and the push's new state commit together.
    await db.query(
      `WITH recorded AS (
         INSERT INTO notification.push_attempts
           (notification_id, attempt, user_id, status, http_status, error, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (notification_id, attempt) DO NOTHING
       )
       UPDATE notification.push_deliveries
          SET attempts = $2, status = $8, next_attempt_at = coalesce($9, next_attempt_at),
              claimed_until = NULL
        WHERE notification_id = $1`,
      [
        attempt.notificationId,
        attempt.attempt,
        attempt.userId,
        attempt.status,
        attempt.httpStatus,
        attempt.error,
        attempt.at,
        next.status === 'RETRYING' ? 'PENDING' : next.status,
        next.status === 'RETRYING' ? next.nextAttemptAt : null,
      ],
    );
  },

  async nextDueAt() {
    const { rows } = await db.query<{ due: Date | null }>(
      `SELECT min(greatest(d.next_attempt_at, coalesce(d.claimed_until, d.next_attempt_at))) AS due
         FROM notification.push_deliveries d
         JOIN notification.webhooks w ON w.user_id = d.user_id AND w.enabled
        WHERE d.status = 'PENDING'`,
    );
    const due = rows[0]?.due;
    return due ? new Date(due) : undefined;
  },

  async listAttempts(userId, page): Promise<Page<PushAttempt>> {
    const after = page.after ? decodeCursor(page.after) : undefined;
    const { rows } = await db.query<AttemptRow>(
      `SELECT * FROM notification.push_attempts
        WHERE user_id = $1
          AND ($2::timestamptz IS NULL OR (at, notification_id, attempt) < ($2::timestamptz, $3::text, $4::int))
        ORDER BY at DESC, notification_id DESC, attempt DESC
        LIMIT $5`,
      [userId, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, page.first + 1],
    );
    const nodes = rows.slice(0, page.first).map(toAttempt);
    return {
      items: nodes.map((node) => ({ node, cursor: encodeCursor(node) })),
      hasNextPage: rows.length > page.first,
    };
  },
});
