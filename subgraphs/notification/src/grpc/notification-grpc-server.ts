import {
  type Notification as NotificationMessage,
  NotificationType as ProtoType,
  type NotificationServiceServer,
  NotificationServiceService,
} from '@simple-securities/notification-client';
import {
  internalUnaryHandlers,
  type RunningGrpcServer,
  startInternalGrpcServer,
} from '@simple-securities/grpc-kit';
import {
  listNotifications,
  type Notification,
  type NotificationReadModel,
  type NotificationRepository,
  type NotificationType,
  type SendNotification,
  type SentNotification,
} from '@simple-securities/notification';
import type { Logger } from '@simple-securities/service-kit';
import { DomainError } from '@simple-securities/shared-kernel';

export interface NotificationGrpcDeps {
  readonly notifications: NotificationRepository & NotificationReadModel;
  readonly send: (command: SendNotification) => Promise<SentNotification>;
}

const PROTO_TYPE_OF: Readonly<Record<NotificationType, ProtoType>> = {
  WELCOME: ProtoType.NOTIFICATION_TYPE_WELCOME,
  ACCOUNT: ProtoType.NOTIFICATION_TYPE_ACCOUNT,
  WALLET: ProtoType.NOTIFICATION_TYPE_WALLET,
  ORDER: ProtoType.NOTIFICATION_TYPE_ORDER,
  PRICE_ALERT: ProtoType.NOTIFICATION_TYPE_PRICE_ALERT,
  SYSTEM: ProtoType.NOTIFICATION_TYPE_SYSTEM,
};

const typeOf = (type: ProtoType): NotificationType | undefined =>
  (Object.keys(PROTO_TYPE_OF) as NotificationType[]).find((key) => PROTO_TYPE_OF[key] === type);

const DEFAULT_PAGE_SIZE = 20;
const ID_MAX_LENGTH = 200;

const requiredId = (value: string, field: string): string => {
  if (!value || value.length > ID_MAX_LENGTH)
    throw new DomainError('BAD_USER_INPUT', `${field} needs 1 to ${ID_MAX_LENGTH} characters.`);
  return value;
};

const messageOf = (n: Notification): NotificationMessage => ({
  id: n.id,
  userId: n.userId,
  type: PROTO_TYPE_OF[n.type],
  title: n.title,
  body: n.body,
  createdAt: n.createdAt,
  readAt: n.readAt ?? undefined,
  viewedAt: n.viewedAt ?? undefined,
});

/**
 * The notification service over gRPC (proto/notification/v1/notification.proto), for
 * other services, on its own port with the standard health service. Every call must carry
 * the internal service token.
 */
export const startNotificationGrpcServer = (options: {
  readonly deps: NotificationGrpcDeps;
  readonly internalToken: string;
  readonly logger: Logger;
  readonly host: string;
  readonly port: number;
}): Promise<RunningGrpcServer> => {
  const { deps } = options;
  const unary = internalUnaryHandlers({
    service: 'notification',
    internalToken: options.internalToken,
    logger: options.logger,
  });

  const handlers: NotificationServiceServer = {
    send: unary('Send', async (request) => {
      const type = typeOf(request.type);
      if (!type) throw new DomainError('BAD_USER_INPUT', 'type must be a known notification type.');
      const { notification, replayed } = await deps.send({
        notificationId: requiredId(request.notificationId, 'notification_id'),
        userId: requiredId(request.userId, 'user_id'),
        type,
        title: request.title,
        body: request.body,
      });
      return { notification: messageOf(notification), replayed };
    }),
    getById: unary('GetById', async (request) => {
      const notification = await deps.notifications.findById(requiredId(request.id, 'id'));
      if (!notification) throw new DomainError('NOT_FOUND', 'No such notification.');
      return { notification: messageOf(notification) };
    }),
    listByUser: unary('ListByUser', async (request) => {
      const type =
        request.type === ProtoType.NOTIFICATION_TYPE_UNSPECIFIED ? undefined : typeOf(request.type);
      if (request.type !== ProtoType.NOTIFICATION_TYPE_UNSPECIFIED && !type)
        throw new DomainError('BAD_USER_INPUT', 'type must be a known notification type.');
      const page = await listNotifications({ readModel: deps.notifications })(
        requiredId(request.userId, 'user_id'),
        {
          first: request.pageSize || DEFAULT_PAGE_SIZE,
          after: request.pageToken || undefined,
          unreadOnly: request.unreadOnly,
          type,
        },
      );
      return {
        notifications: page.items.map(({ node }) => messageOf(node)),
        nextPageToken: page.hasNextPage ? (page.items.at(-1)?.cursor ?? '') : '',
      };
    }),
  };

  return startInternalGrpcServer({
    serviceName: 'notification.v1.NotificationService',
    definition: NotificationServiceService,
    handlers,
    logger: options.logger,
    host: options.host,
    port: options.port,
  });
};
