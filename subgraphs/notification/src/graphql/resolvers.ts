import { z } from 'zod';
import { DomainError } from '@simple-securities/shared-kernel';
import {
  getNotification,
  listNotifications,
  markNotificationRead,
  markNotificationViewed,
  type Notification,
  type NotificationReadModel,
  type NotificationRepository,
} from '@simple-securities/notification';
import {
  DateTimeScalar,
  parseInput,
  requireCaller,
  type GraphQLResolverMap,
  type RequestContext,
} from '@simple-securities/service-kit';
import type { Clock, Page } from '@simple-securities/shared-kernel';

export interface NotificationContext extends RequestContext {
  readonly notifications: NotificationRepository & NotificationReadModel;
  readonly clock: Clock;
}

const markInput = z.object({ id: z.string().min(1, 'id is required').max(200) });

/** Lists are private: a user reads only their own notifications. */
const ownUserId = (context: NotificationContext, userId: string): string => {
  const caller = requireCaller(context.caller);
  if (caller.userId !== userId)
    throw new DomainError('FORBIDDEN', 'You can only read your own notifications.');
  return userId;
};

const connection = (page: Page<Notification>) => ({
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
      args: { first: number; after?: string | null; unreadOnly: boolean },
      context: NotificationContext,
    ) =>
      connection(
        await listNotifications({ readModel: context.notifications })(ownUserId(context, user.id), {
          first: args.first,
          after: args.after ?? undefined,
          unreadOnly: args.unreadOnly,
        }),
      ),
    unreadNotificationCount: (user: { id: string }, _args: unknown, context: NotificationContext) =>
      context.notifications.countUnread(ownUserId(context, user.id)),
  },
  Query: {
    notification: (_root: unknown, args: { id: string }, context: NotificationContext) =>
      ownNotification(context, args.id),
  },
  Mutation: {
    markNotificationRead: markMutation(markNotificationRead),
    markNotificationViewed: markMutation(markNotificationViewed),
  },
};
