import { z } from 'zod';
import { port } from '@simple-securities/service-kit';

/** The variables only the notification context reads (the service kit reads where it listens). */
export const notificationConfig = {
  /** The internal gRPC notification service (proto/notification/v1); 0 picks a free port. */
  NOTIFICATION_GRPC_PORT: port(4014),
  /**
   * Webhooks may be plain http and reach private, loopback and link-local addresses:
   * for local development and tests only, never where users are strangers.
   */
  NOTIFICATION_WEBHOOK_ALLOW_PRIVATE: z.stringbool().default(false),
  /** One push may take this long, connecting to answering. */
  NOTIFICATION_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** Attempts per notification, the first one included. */
  NOTIFICATION_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  /** The pause after the first failed attempt; it doubles after each (with jitter), up to 15 minutes. */
  NOTIFICATION_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).max(900_000).default(5_000),
};

export type NotificationConfig = z.infer<z.ZodObject<typeof notificationConfig>>;
