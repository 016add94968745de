import { timingSafeEqual } from 'node:crypto';
import {
  type FundsServiceServer,
  FundsServiceService,
  INTERNAL_TOKEN_METADATA,
  type ReleaseResponse,
  type ReserveResponse,
} from '@simple-securities/funds-client';
import {
  type Metadata,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from '@simple-securities/service-kit';
import { type ErrorCode, isDomainError } from '@simple-securities/shared-kernel';
import {
  type Movement,
  type Wallet,
  type createGetWallets,
  type createReleaseFunds,
  type createReserveFunds,
  type createSettleTrade,
  formatUnits,
  getAsset,
  onlyLegOf,
} from '@simple-securities/wallets';

export interface FundsGrpcUseCases {
  readonly reserve: ReturnType<typeof createReserveFunds>;
  readonly release: ReturnType<typeof createReleaseFunds>;
  readonly settle: ReturnType<typeof createSettleTrade>;
  readonly getWallets: ReturnType<typeof createGetWallets>;
  readonly hasPermission: (userId: string, permission: string) => Promise<boolean>;
}

export interface RunningGrpcServer {
  readonly port: number;
  readonly address: string;
  stop(): Promise<void>;
}

const SERVICE_NAME = 'funds.v1.FundsService';

const STATUS_OF: Readonly<Record<ErrorCode, status>> = {
  BAD_USER_INPUT: status.INVALID_ARGUMENT,
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  FORBIDDEN: status.PERMISSION_DENIED,
  NOT_FOUND: status.NOT_FOUND,
  CONFLICT: status.ALREADY_EXISTS,
  INSUFFICIENT_FUNDS: status.FAILED_PRECONDITION,
  MARKET_CLOSED: status.FAILED_PRECONDITION,
};

const balanceOf = (wallet: Wallet) => {
  const asset = getAsset(wallet.asset);
  return {
    asset: asset.code,
    available: formatUnits(asset, wallet.available),
    reserved: formatUnits(asset, wallet.reserved),
  };
};

/** A single-leg movement's answer: its transaction and the wallet right after it. */
const answerOf = (movement: Movement) => {
  const leg = onlyLegOf(movement);
  return {
    transactionId: movement.id,
    replayed: movement.replayed,
    amount: formatUnits(getAsset(leg.wallet.asset), leg.amount),
    balance: balanceOf({ ...leg.wallet, ...leg.balance }),
  };
};

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Core's funds service over gRPC (proto/funds/v1/funds.proto), on its own port, with the
 * standard health service. Every call must carry the internal service token; domain
 * refusals map to status codes, anything else is logged and answered INTERNAL.
 */
export const startFundsGrpcServer = async (options: {
  readonly useCases: FundsGrpcUseCases;
  readonly internalToken: string;
  readonly logger: Logger;
  readonly port: number;
  readonly host: string;
}): Promise<RunningGrpcServer> => {
  const { useCases, logger } = options;

  const authorised = (metadata: Metadata) => {
    const [token] = metadata.get(INTERNAL_TOKEN_METADATA);
    return typeof token === 'string' && sameSecret(token, options.internalToken);
  };

  /** Runs one call: checks the token, answers with the result or the mapped status. */
  const unary =
    <Request, Response>(name: string, handle: (request: Request) => Promise<Response>) =>
    (call: ServerUnaryCall<Request, Response>, callback: sendUnaryData<Response>) => {
      if (!authorised(call.metadata)) {
        callback({
          code: status.UNAUTHENTICATED,
          details: 'A valid internal service token is required.',
        });
        return;
      }
      handle(call.request).then(
        (response) => callback(null, response),
        (error: unknown) => {
          if (isDomainError(error)) {
            callback({ code: STATUS_OF[error.code], details: error.message });
            return;
          }
          logger.error({ err: error, method: name }, `funds ${name} failed unexpectedly`);
          callback({ code: status.INTERNAL, details: 'Internal error in the funds service.' });
        },
      );
    };

  const handlers: FundsServiceServer = {
    reserve: unary('Reserve', async (request): Promise<ReserveResponse> => {
      const { transactionId, replayed, balance } = answerOf(await useCases.reserve(request));
      return { transactionId, replayed, balance };
    }),
    release: unary('Release', async (request): Promise<ReleaseResponse> => {
      const answer = answerOf(
        await useCases.release({
          reservationId: request.reservationId,
          amount: request.amount || undefined,
          releaseId: request.releaseId || undefined,
        }),
      );
      return { ...answer, released: answer.amount };
    }),
    settle: unary('Settle', async (request) => {
      const movement = await useCases.settle(request);
      return { transactionId: movement.id, replayed: movement.replayed };
    }),
    getBalances: unary('GetBalances', async (request) => ({
      balances: (await useCases.getWallets(request.userId)).map(balanceOf),
    })),
    checkPermission: unary('CheckPermission', async (request) => ({
      allowed: await useCases.hasPermission(request.userId, request.permission),
    })),
  };

  const server = new Server();
  server.addService(FundsServiceService, handlers);
  new HealthImplementation({ '': 'SERVING', [SERVICE_NAME]: 'SERVING' }).addToServer(server);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${options.host}:${options.port}`,
      ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    ),
  );
  const address = `${options.host}:${port}`;
  logger.info({ address }, `funds gRPC service listening on ${address}`);
  return {
    port,
    address,
    stop: () =>
      new Promise<void>((resolve) => {
        // Calls in flight get a moment to finish; then the rest are cut off.
        const force = setTimeout(() => server.forceShutdown(), 2_000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
};
