import {
  type InternalGrpcClientOptions,
  type UnaryCaller,
  channelOf,
  internalUnaryCaller,
} from '@simple-securities/grpc-kit';
import {
  type GetByIdRequest,
  type GetByIdResponse,
  type ListByUserRequest,
  type ListByUserResponse,
  NotificationServiceClient,
  type SendRequest,
  type SendResponse,
} from './generated/notification/v1/notification.js';

/** `address` is host:port of the notification service, e.g. 127.0.0.1:4014. */
export type NotificationClientOptions = InternalGrpcClientOptions;

/**
 * The notification service for other services. `send` is idempotent by the
 * notification id the caller chooses, which is what makes retrying an UNAVAILABLE call
 * safe. Other failures surface as the grpc-js ServiceError, with its status code.
 */
export class NotificationClient {
  private readonly client: NotificationServiceClient;
  private readonly call: UnaryCaller;

  constructor(options: NotificationClientOptions) {
    this.client = new NotificationServiceClient(...channelOf(options));
    this.call = internalUnaryCaller(options);
  }

  send(request: SendRequest): Promise<SendResponse> {
    return this.call(this.client.send.bind(this.client), request);
  }

  getById(request: GetByIdRequest): Promise<GetByIdResponse> {
    return this.call(this.client.getById.bind(this.client), request);
  }

  listByUser(request: ListByUserRequest): Promise<ListByUserResponse> {
    return this.call(this.client.listByUser.bind(this.client), request);
  }

  close(): void {
    this.client.close();
  }
}
