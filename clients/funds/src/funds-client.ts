import {
  type CallOptions,
  type ChannelCredentials,
  Metadata,
  type ServiceError,
  credentials as grpcCredentials,
  status,
} from '@grpc/grpc-js';
import {
  type CheckPermissionRequest,
  type CheckPermissionResponse,
  FundsServiceClient,
  type GetBalancesRequest,
  type GetBalancesResponse,
  type ReleaseRequest,
  type ReleaseResponse,
  type ReserveRequest,
  type ReserveResponse,
  type SettleRequest,
  type SettleResponse,
} from './generated/funds/v1/funds.js';

/** The metadata entry that carries the internal service token. */
export const INTERNAL_TOKEN_METADATA = 'x-internal-token';

export interface FundsClientOptions {
  /** host:port of core's funds service, e.g. 127.0.0.1:4011. */
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

type Unary<Request, Response> = (
  request: Request,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Response) => void,
) => unknown;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Core's funds service for the trading contexts. Every call that moves money is
 * idempotent by its id, which is what makes retrying an UNAVAILABLE call safe: a call
 * that did reach core before the connection dropped is answered with its first result.
 * Other failures surface as the grpc-js ServiceError, with its status code.
 */
export class FundsClient {
  private readonly client: FundsServiceClient;
  private readonly deadlineMs: number;
  private readonly attempts: number;
  private readonly backoffMs: number;

  constructor(private readonly options: FundsClientOptions) {
    this.client = new FundsServiceClient(
      options.address,
      options.credentials ?? grpcCredentials.createInsecure(),
    );
    this.deadlineMs = options.deadlineMs ?? 2_000;
    this.attempts = options.attempts ?? 4;
    this.backoffMs = options.backoffMs ?? 50;
  }

  reserve(request: ReserveRequest): Promise<ReserveResponse> {
    return this.call(this.client.reserve.bind(this.client), request);
  }

  release(request: ReleaseRequest): Promise<ReleaseResponse> {
    return this.call(this.client.release.bind(this.client), request);
  }

  settle(request: SettleRequest): Promise<SettleResponse> {
    return this.call(this.client.settle.bind(this.client), request);
  }

  getBalances(request: GetBalancesRequest): Promise<GetBalancesResponse> {
    return this.call(this.client.getBalances.bind(this.client), request);
  }

  checkPermission(request: CheckPermissionRequest): Promise<CheckPermissionResponse> {
    return this.call(this.client.checkPermission.bind(this.client), request);
  }

  close(): void {
    this.client.close();
  }

  private async call<Request, Response>(
    method: Unary<Request, Response>,
    request: Request,
  ): Promise<Response> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.once(method, request);
      } catch (error) {
        const unavailable = (error as ServiceError).code === status.UNAVAILABLE;
        if (!unavailable || attempt >= this.attempts) throw error;
        await pause(this.backoffMs * 2 ** (attempt - 1));
      }
    }
  }

  private once<Request, Response>(method: Unary<Request, Response>, request: Request) {
    const metadata = new Metadata();
    metadata.set(INTERNAL_TOKEN_METADATA, this.options.internalToken);
    return new Promise<Response>((resolve, reject) => {
      method(request, metadata, { deadline: Date.now() + this.deadlineMs }, (error, response) =>
        error ? reject(error) : resolve(response),
      );
    });
  }
}
