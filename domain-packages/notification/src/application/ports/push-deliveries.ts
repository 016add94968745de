import type { Page, PageRequest } from '@simple-securities/shared-kernel';
import type { Notification } from '../../domain/notification.js';
import type { NextStep, PushAttemptStatus } from '../../domain/push-delivery.js';
import type { NotificationWebhook } from '../../domain/webhook.js';

export interface NotificationWebhooks {
  find(userId: string): Promise<NotificationWebhook | undefined>;
  save(webhook: NotificationWebhook): Promise<void>;
}

/**
 * The outbox of pushes. `enqueue` runs with the notification's own write (same
 * transaction), so a stored notification is never without its pending push, and a
 * restart finds it.
 */
export interface PushQueue {
  /** Queues a push of a new notification when its user has an enabled webhook. */
  enqueue(notification: Notification): Promise<void>;
}

/** A push whose next attempt is due, claimed by one deliverer for a while. */
export interface DuePush {
  readonly notification: Notification;
  readonly url: string;
  /** This attempt's number, from 1. */
  readonly attempt: number;
}

/** One attempt, as its owner reads it. */
export interface PushAttempt {
  readonly notificationId: string;
  readonly userId: string;
  readonly attempt: number;
  readonly status: PushAttemptStatus;
  readonly httpStatus: number | null;
  readonly error: string | null;
  readonly at: Date;
}

export interface PushDeliveries {
  /**
   * Up to `limit` pushes due at `now` whose user's webhook is enabled, each claimed until
   * `now + leaseMs` so that no other deliverer (another replica) takes it meanwhile.
   */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<DuePush[]>;
  /** Records an attempt and what follows it, together. */
  record(attempt: PushAttempt, next: NextStep): Promise<void>;
  /** When the earliest pending push is due next; undefined when none is pending. */
  nextDueAt(): Promise<Date | undefined>;
  /** The user's attempts, newest first. */
  listAttempts(userId: string, page: PageRequest): Promise<Page<PushAttempt>>;
}
