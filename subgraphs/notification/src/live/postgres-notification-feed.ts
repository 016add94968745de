import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type {
  Notification,
  NotificationFeed,
  NotificationRepository,
} from '@simple-securities/notification';
import { type Broadcast, postgresBroadcast, type SqlDatabase } from '@simple-securities/postgres';
import { NotificationMailbox } from './notification-mailbox.js';

/** The channel replicas tell each other of new notifications on. */
export const NOTIFICATION_ADDED_CHANNEL = 'notification_added';

/** How far a subscriber may fall behind before its oldest pending notification is dropped. */
const MAILBOX_CAPACITY = 100;

/** Ids only: a notification's text can be larger than a NOTIFY payload may be. */
const announcement = z.object({
  replica: z.string(),
  id: z.string().min(1),
  userId: z.string().min(1),
});
type Announcement = z.infer<typeof announcement>;

/**
 * The live feed, on every replica. A notification stored here goes straight to this
 * replica's subscribers, and its id to the others through a Postgres broadcast (sent
 * after the notification's transaction has committed); a replica that has a subscriber
 * for that user reads it and passes it on.
 */
export class PostgresNotificationFeed implements NotificationFeed {
  private readonly replica = randomUUID();
  private readonly subscribers = new Map<string, Set<NotificationMailbox>>();
  /** Reads for announcements from other replicas, one at a time so each user's stay in order. */
  private reading = Promise.resolve();
  private unlisten: (() => Promise<void>) | undefined;

  private constructor(
    private readonly announcements: Broadcast,
    private readonly notifications: NotificationRepository,
    private readonly logger: Logger,
  ) {}

  static async start(
    database: SqlDatabase,
    notifications: NotificationRepository,
    logger: Logger,
  ): Promise<PostgresNotificationFeed> {
    const announcements = postgresBroadcast(database, NOTIFICATION_ADDED_CHANNEL, logger);
    const feed = new PostgresNotificationFeed(announcements, notifications, logger);
    feed.unlisten = await announcements.subscribe((payload) => feed.heard(payload));
    return feed;
  }

  announce(notification: Notification): void {
    this.deliver(notification);
    const told: Announcement = {
      replica: this.replica,
      id: notification.id,
      userId: notification.userId,
    };
    this.announcements.publish([JSON.stringify(told)]);
  }

  follow(userId: string): AsyncIterableIterator<Notification> {
    let mailboxes = this.subscribers.get(userId);
    if (!mailboxes) this.subscribers.set(userId, (mailboxes = new Set()));
    const joined = mailboxes;
    const mailbox = new NotificationMailbox(MAILBOX_CAPACITY, () => {
      joined.delete(mailbox);
      if (joined.size === 0 && this.subscribers.get(userId) === joined)
        this.subscribers.delete(userId);
    });
    joined.add(mailbox);
    return mailbox;
  }

  /** Ends every subscription (the service is stopping) and stops listening. */
  async stop(): Promise<void> {
    for (const mailboxes of [...this.subscribers.values()])
      for (const mailbox of [...mailboxes]) mailbox.close();
    await this.unlisten?.();
    await this.reading;
  }

  private deliver(notification: Notification): void {
    for (const mailbox of this.subscribers.get(notification.userId) ?? []) {
      const droppedBefore = mailbox.dropped;
      mailbox.push(notification);
      if (mailbox.dropped > droppedBefore)
        this.logger.warn(
          { userId: notification.userId },
          `a notification subscriber is ${MAILBOX_CAPACITY} notifications behind; dropped the oldest (it stays in the user's list)`,
        );
    }
  }

  private heard(payload: string): void {
    let parsed: Announcement;
    try {
      parsed = announcement.parse(JSON.parse(payload));
    } catch {
      this.logger.warn({ payload }, `ignored a malformed message on ${NOTIFICATION_ADDED_CHANNEL}`);
      return;
    }
    const { replica, id, userId } = parsed;
    if (replica === this.replica || !this.subscribers.has(userId)) return;
    this.reading = this.reading.then(async () => {
      try {
        const notification = await this.notifications.findById(id);
        if (notification?.userId === userId) this.deliver(notification);
      } catch (error) {
        this.logger.warn(
          { err: error, notificationId: id },
          `could not read notification ${id} that another replica announced; its subscriber will see it in their list`,
        );
      }
    });
  }
}
