import {
  type InternalGrpcClientOptions,
  type UnaryCaller,
  channelOf,
  internalUnaryCaller,
} from '@simple-securities/grpc-kit';
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

export { INTERNAL_TOKEN_METADATA } from '@simple-securities/grpc-kit';

/** `address` is host:port of core's funds service, e.g. 127.0.0.1:4011. */
export type FundsClientOptions = InternalGrpcClientOptions;

/**
 * Core's funds service for the trading contexts. Every call that moves money is
 * idempotent by its id, which is what makes retrying an UNAVAILABLE call safe: a call
 * that did reach core before the connection dropped is answered with its first result.
 * Other failures surface as the grpc-js ServiceError, with its status code.
 */
export class FundsClient {
  private readonly client: FundsServiceClient;
  private readonly call: UnaryCaller;

  constructor(options: FundsClientOptions) {
    this.client = new FundsServiceClient(...channelOf(options));
    this.call = internalUnaryCaller(options);
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
}
