import { z } from 'zod';
import { DomainError } from '@simple-securities/shared-kernel';
import type { SearchIndex } from '@simple-securities/event-sourcing';
import {
  BODY_MAX_LENGTH,
  getNotification,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  markNotificationViewed,
  NOTIFICATION_TYPES,
  SEARCH_QUERY_MAX_LENGTH,
  SEND_NOTIFICATION_PERMISSION,
  searchNotifications,
  TITLE_MAX_LENGTH,
  WEBHOOK_URL_MAX_LENGTH,
  getNotificationWebhook,
  listPushAttempts,
  setNotificationWebhook,
  type Notification,
  type NotificationFeed,
  type NotificationReadModel,
  type NotificationRepository,
  type NotificationType,
  type NotificationWebhook,
  type NotificationWebhooks,
  type PushDeliveries,
  type SendNotification,
  type SentNotification,
} from '@simple-securities/notification';
import {
  DateTimeScalar,
  parseInput,
  requireCaller,
  requirePermission,
  type GraphQLResolverMap,
  type RequestContext,
} from '@simple-securities/service-kit';
import type { Clock, Page } from '@simple-securities/shared-kernel';
import { isIP } from 'node:net';
import { isPublicAddress } from '../adapters/webhook/address-policy.js';

export interface NotificationContext extends RequestContext {
  readonly notifications: NotificationRepository & NotificationReadModel;
  readonly search: SearchIndex;
  readonly feed: NotificationFeed;
  readonly clock: Clock;
  /** Writes a notification with its search document and pending push, then announces it. */
  readonly send: (command: SendNotification) => Promise<SentNotification>;
  readonly webhooks: NotificationWebhooks;
  readonly deliveries: PushDeliveries;
  /** Webhooks may be plain http and reach private addresses (NOTIFICATION_WEBHOOK_ALLOW_PRIVATE). */
  readonly allowPrivateWebhooks: boolean;
}

const markInput = z.object({ id: z.string().min(1, 'id is required').max(200) });
const notificationType = z.enum(NOTIFICATION_TYPES);
const markAllInput = z
  .object({ type: notificationType.nullish() })
  .nullish()
  .transform((input) => ({ type: input?.type ?? undefined }));
const sendInput = z.object({
  userId: z.string().min(1, 'userId is required').max(200),
  type: notificationType,
  // The domain trims and checks the title's length; this only bounds what reaches it.
  title: z.string().max(TITLE_MAX_LENGTH * 2),
  body: z.string().max(BODY_MAX_LENGTH),
});
const webhookInput = z.object({
  url: z
    .string()
    .trim()
    .max(WEBHOOK_URL_MAX_LENGTH, `url has at most ${WEBHOOK_URL_MAX_LENGTH} characters`),
  enabled: z.boolean(),
});
const deliveriesArgs = z.object({ first: z.number().int(), after: z.string().max(200).nullish() });
const searchArgs = z.object({
  query: z
    .string()
    .max(SEARCH_QUERY_MAX_LENGTH, `query has at most ${SEARCH_QUERY_MAX_LENGTH} characters`),
  first: z.number().int(),
  after: z.string().max(200).nullish(),
});

/** Lists are private: a user reads only their own notifications. */
const ownUserId = (context: NotificationContext, userId: string): string => {
  const caller = requireCaller(context.caller);
  if (caller.userId !== userId)
    throw new DomainError('FORBIDDEN', 'You can only read your own notifications.');
  return userId;
};

const connection = <Node>(page: Page<Node>) => ({
  edges: page.items,
  pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.items.at(-1)?.cursor ?? null },
});

/** Both marks take `{ id }` and act on the caller's own notification. */
const markMutation =
  (mark: typeof markNotificationRead) =>
  async (_root: unknown, args: { input: unknown }, context: NotificationContext) => {
    const { id } = parseInput(markInput, args.input);
    const userId = requireCaller(context.caller).userId;
    return { notification: await mark(context)({ userId, notificationId: id }) };
  };

/**
 * The caller's own notification, or null when there is none by that id or it is
 * someone else's: the two are not told apart, so ids cannot be probed.
 */
const ownNotification = (context: NotificationContext, id: string) =>
  getNotification(context)(requireCaller(context.caller).userId, id).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === 'NOT_FOUND') return null;
    throw error;
  });

export const resolvers: GraphQLResolverMap<NotificationContext> = {
  DateTime: DateTimeScalar,
  Notification: {
    // Another subgraph may return a Notification by its key; it resolves like Query.notification.
    __resolveReference: (reference: { id: string }, context: NotificationContext) =>
      ownNotification(context, reference.id),
    read: (n: Notification) => n.readAt !== null,
    viewed: (n: Notification) => n.viewedAt !== null,
  },
  User: {
    notifications: async (
      user: { id: string },
      args: {
        first: number;
        after?: string | null;
        unreadOnly?: boolean | null;
        type?: NotificationType | null;
      },
      context: NotificationContext,
    ) =>
      connection(
        await listNotifications({ readModel: context.notifications })(ownUserId(context, user.id), {
          first: args.first,
          after: args.after ?? undefined,
          unreadOnly: args.unreadOnly ?? false,
          type: args.type ?? undefined,
        }),
      ),
    unreadNotificationCount: (user: { id: string }, _args: unknown, context: NotificationContext) =>
      context.notifications.countUnread(ownUserId(context, user.id)),
    notificationWebhook: async (
      user: { id: string },
      _args: unknown,
      context: NotificationContext,
    ) => (await getNotificationWebhook(context)(ownUserId(context, user.id))) ?? null,
  },
  NotificationWebhook: {
    deliveries: async (
      webhook: NotificationWebhook,
      args: unknown,
      context: NotificationContext,
    ) => {
      const { first, after } = parseInput(deliveriesArgs, args);
      return connection(
        await listPushAttempts(context)(ownUserId(context, webhook.userId), {
          first,
          after: after ?? undefined,
        }),
      );
    },
  },
  Query: {
    notification: (_root: unknown, args: { id: string }, context: NotificationContext) =>
      ownNotification(context, args.id),
    searchNotifications: async (_root: unknown, args: unknown, context: NotificationContext) => {
      const { query, first, after } = parseInput(searchArgs, args);
      const userId = requireCaller(context.caller).userId;
      return connection(
        await searchNotifications({ search: context.search, readModel: context.notifications })(
          userId,
          query,
          { first, after: after ?? undefined },
        ),
      );
    },
  },
  Mutation: {
    markNotificationRead: markMutation(markNotificationRead),
    markNotificationViewed: markMutation(markNotificationViewed),
    markAllNotificationsRead: async (
      _root: unknown,
      args: { input?: unknown },
      context: NotificationContext,
    ) => {
      const { type } = parseInput(markAllInput, args.input);
      const userId = requireCaller(context.caller).userId;
      const markedCount = await markAllNotificationsRead(context)({ userId, type });
      return {
        markedCount,
        unreadNotificationCount: await context.notifications.countUnread(userId),
      };
    },
    sendNotification: async (
      _root: unknown,
      args: { input: unknown },
      context: NotificationContext,
    ) => {
      requirePermission(context.caller, SEND_NOTIFICATION_PERMISSION);
      const input = parseInput(sendInput, args.input);
      const { notification } = await context.send(input);
      return { notification };
    },
    setNotificationWebhook: async (
      _root: unknown,
      args: { input: unknown },
      context: NotificationContext,
    ) => {
      const userId = requireCaller(context.caller).userId;
      const { url, enabled } = parseInput(webhookInput, args.input);
      const notificationWebhook = await setNotificationWebhook({
        webhooks: context.webhooks,
        clock: context.clock,
        rules: {
          allowInsecure: context.allowPrivateWebhooks,
          isAllowedHost: (host) =>
            context.allowPrivateWebhooks || !isIP(host) || isPublicAddress(host),
        },
      })({ userId, url, enabled });
      return { notificationWebhook };
    },
  },
  Subscription: {
    notificationAdded: {
      // Whose notifications is decided by the signed caller assertion alone: there is no argument to ask for another user's.
      subscribe: (_root: unknown, _args: unknown, context: NotificationContext) =>
        context.feed.follow(requireCaller(context.caller).userId),
      resolve: (notification: Notification) => notification,
    },
  },
};
