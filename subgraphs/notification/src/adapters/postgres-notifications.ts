import { DomainError, type Page } from '@simple-securities/shared-kernel';
import type {
  Notification,
  NotificationQuery,
  NotificationReadModel,
  NotificationRepository,
  NotificationType,
} from '@simple-securities/notification';
import type { SqlExecutor } from '@simple-securities/postgres';

export interface NotificationRow {
  id: string;
  user_id: string;
  type: string;
  title: string;
  body: string;
  created_at: Date;
  read_at: Date | null;
  viewed_at: Date | null;
}

export const toNotification = (row: NotificationRow): Notification => ({
  id: row.id,
  userId: row.user_id,
  type: row.type as NotificationType,
  title: row.title,
  body: row.body,
  createdAt: new Date(row.created_at),
  readAt: row.read_at && new Date(row.read_at),
  viewedAt: row.viewed_at && new Date(row.viewed_at),
});

/** Cursors point at (created_at, id), the list's sort key, so pages stay stable while new ones arrive. */
const encodeCursor = (n: Notification) =>
  Buffer.from(`${n.createdAt.toISOString()}|${n.id}`).toString('base64url');

const decodeCursor = (cursor: string): { createdAt: Date; id: string } => {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|', 2);
  const time = new Date(createdAt ?? '');
  if (!id || Number.isNaN(time.getTime()))
    throw new DomainError('BAD_USER_INPUT', 'The "after" cursor is not valid.');
  return { createdAt: time, id };
};

export const postgresNotifications = (
  db: SqlExecutor,
): NotificationRepository & NotificationReadModel => ({
  async findById(id) {
    const { rows } = await db.query<NotificationRow>(
      'SELECT * FROM notification.notifications WHERE id = $1',
      [id],
    );
    return rows[0] && toNotification(rows[0]);
  },

  async add(n) {
    const { rowCount } = await db.query(
      `INSERT INTO notification.notifications (id, user_id, type, title, body, created_at, read_at, viewed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
      [n.id, n.userId, n.type, n.title, n.body, n.createdAt, n.readAt, n.viewedAt],
    );
    return rowCount === 1;
  },

  async update(n) {
    await db.query(
      'UPDATE notification.notifications SET read_at = $2, viewed_at = $3 WHERE id = $1',
      [n.id, n.readAt, n.viewedAt],
    );
  },

  async markAllRead(userId, at, filter) {
    // What markRead does to one, set-based: read now, and viewed now unless it was before.
    const { rowCount } = await db.query(
      `UPDATE notification.notifications SET read_at = $2, viewed_at = coalesce(viewed_at, $2)
        WHERE user_id = $1 AND read_at IS NULL AND ($3::text IS NULL OR type = $3)`,
      [userId, at, filter.type ?? null],
    );
    return rowCount;
  },

  async listForUser(userId: string, query: NotificationQuery): Promise<Page<Notification>> {
    const after = query.after ? decodeCursor(query.after) : undefined;
    const { rows } = await db.query<NotificationRow>(
      `SELECT * FROM notification.notifications
        WHERE user_id = $1
          AND ($2::boolean IS NOT TRUE OR read_at IS NULL)
          AND ($3::text IS NULL OR type = $3)
          AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::text))
        ORDER BY created_at DESC, id DESC
        LIMIT $6`,
      [
        userId,
        query.unreadOnly ?? false,
        query.type ?? null,
        after?.createdAt ?? null,
        after?.id ?? null,
        query.first + 1,
      ],
    );
    const nodes = rows.slice(0, query.first).map(toNotification);
    return {
      items: nodes.map((node) => ({ node, cursor: encodeCursor(node) })),
      hasNextPage: rows.length > query.first,
    };
  },

  async findForUser(userId, ids) {
    if (ids.length === 0) return [];
    const { rows } = await db.query<NotificationRow>(
      'SELECT * FROM notification.notifications WHERE user_id = $1 AND id = ANY($2::text[])',
      [userId, ids],
    );
    return rows.map(toNotification);
  },

  async countUnread(userId) {
    const { rows } = await db.query<{ unread: number }>(
      'SELECT count(*)::int AS unread FROM notification.notifications WHERE user_id = $1 AND read_at IS NULL',
      [userId],
    );
    return rows[0]?.unread ?? 0;
  },
});
