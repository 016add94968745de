import {
  type CallOptions,
  type ChannelCredentials,
  Metadata,
  type ServiceError,
  credentials as grpcCredentials,
  status,
} from '@grpc/grpc-js';
import { INTERNAL_TOKEN_METADATA } from './internal-token.js';

export interface InternalGrpcClientOptions {
  /** host:port of the service, e.g. 127.0.0.1:4011. */
  readonly address: string;
  readonly internalToken: string;
  /** Each attempt's deadline. */
  readonly deadlineMs?: number;
  /** Attempts in all when the service is UNAVAILABLE (a restart, a dropped connection). */
  readonly attempts?: number;
  /** The first pause between attempts; it doubles each time. */
  readonly backoffMs?: number;
  readonly credentials?: ChannelCredentials;
}

/** A unary method of a client ts-proto generated for grpc-js, e.g. `client.reserve`. */
export type Unary<Request, Response> = (
  request: Request,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Response) => void,
) => unknown;

/** Runs one unary call of an internal service with the token, a deadline and retries. */
export type UnaryCaller = <Request, Response>(
  method: Unary<Request, Response>,
  request: Request,
) => Promise<Response>;

/** The channel settings `new GeneratedClient(address, credentials)` needs. */
export const channelOf = (options: InternalGrpcClientOptions) =>
  [options.address, options.credentials ?? grpcCredentials.createInsecure()] as const;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What every typed client of an internal service does around each call: sends the
 * internal token, gives each attempt a deadline, and retries an UNAVAILABLE call with
 * doubling pauses. Retrying is safe only because every internal call that changes
 * something is idempotent by an id the caller chose: a call that did arrive before the
 * connection dropped is answered with its first result. Other failures surface as the
 * grpc-js ServiceError, with its status code.
 */
export const internalUnaryCaller = (options: InternalGrpcClientOptions): UnaryCaller => {
  const deadlineMs = options.deadlineMs ?? 2_000;
  const attempts = options.attempts ?? 4;
  const backoffMs = options.backoffMs ?? 50;

  const once = <Request, Response>(method: Unary<Request, Response>, request: Request) => {
    const metadata = new Metadata();
    metadata.set(INTERNAL_TOKEN_METADATA, options.internalToken);
    return new Promise<Response>((resolve, reject) => {
      method(request, metadata, { deadline: Date.now() + deadlineMs }, (error, response) =>
        error ? reject(error) : resolve(response),
      );
    });
  };

  return async (method, request) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await once(method, request);
      } catch (error) {
        const unavailable = (error as ServiceError).code === status.UNAVAILABLE;
        if (!unavailable || attempt >= attempts) throw error;
        await pause(backoffMs * 2 ** (attempt - 1));
      }
    }
  };
};
