import {
  type FundsServiceServer,
  FundsServiceService,
  type ReleaseResponse,
  type ReserveResponse,
} from '@simple-securities/funds-client';
import {
  internalUnaryHandlers,
  type RunningGrpcServer,
  startInternalGrpcServer,
} from '@simple-securities/grpc-kit';
import type { Logger } from '@simple-securities/service-kit';
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

export type { RunningGrpcServer };

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
  const { useCases } = options;
  const unary = internalUnaryHandlers({
    service: 'funds',
    internalToken: options.internalToken,
    logger: options.logger,
  });

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

  return startInternalGrpcServer({
    serviceName: 'funds.v1.FundsService',
    definition: FundsServiceService,
    handlers,
    logger: options.logger,
    host: options.host,
    port: options.port,
  });
};
