import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  createAssignRole,
  createGetCurrentUser,
  createGetEffectivePermissions,
  createGetUser,
  createGrantPermission,
  createHasPermission,
  createRevokePermission,
  createSignIn,
  createSignUp,
  defaultSignInThrottlePolicy,
  type SignInThrottlePolicy,
} from '@simple-securities/identity';
import type { SqlDatabase } from '@simple-securities/postgres';
import {
  defineSubgraphService,
  InMemoryWindowCounters,
  RedisWindowCounters,
  type Logger,
  type RunningService,
  type ServerAddress,
  type SubgraphDefinition,
  startSubgraphServer,
} from '@simple-securities/service-kit';
import { type Clock, systemClock } from '@simple-securities/shared-kernel';
import { createPrismaClient } from './adapters/persistence/prisma-client.js';
import { PrismaUserRepository } from './adapters/persistence/prisma-user-repository.js';
import { jwtAccessTokenIssuer } from './adapters/security/jwt-access-token-issuer.js';
import { ScryptPasswordHasher } from './adapters/security/scrypt-password-hasher.js';
import { WindowCounterSignInAttempts } from './adapters/security/window-counter-sign-in-attempts.js';
import { type CoreConfig, coreConfig } from './config.js';
import { type IdentityUseCases, identityResolvers } from './graphql/resolvers.js';
import { typeDefs } from './graphql/schema.js';
import { assetResolvers } from './graphql/asset-resolvers.js';
import { seedDemoUsers } from './seed/demo-users.js';
import { seedDemoBalances } from './seed/demo-balances.js';
import {
  type FundsStore,
  createDepositFunds,
  createGetWallet,
  createGetWalletLedger,
  createGetWallets,
  createReleaseFunds,
  createReserveFunds,
  createSettleTrade,
  createWithdrawFunds,
} from '@simple-securities/wallets';
import { type RunningGrpcServer, startFundsGrpcServer } from './grpc/funds-grpc-server.js';
import { PrismaPermissionRepository } from './adapters/persistence/prisma-permission-repository.js';
import { PostgresFundsStore } from './adapters/persistence/postgres-funds-store.js';
import { PrismaWalletReadModel } from './adapters/persistence/prisma-wallet-read-model.js';
import { permissionResolvers } from './graphql/permission-resolvers.js';
import { type WalletUseCases, walletResolvers } from './graphql/wallet-resolvers.js';

export interface CoreService {
  readonly definition: SubgraphDefinition;
  readonly useCases: IdentityUseCases;
  readonly wallets: WalletUseCases;
  /** The funds write model (deposits, withdrawals, reservations), shared with the gRPC service. */
  readonly funds: FundsStore;
  /** The demo users and their opening balances; idempotent, see src/seed/. */
  seedDemoUsers(): Promise<{ created: string[] }>;
  /** Serves the subgraph over HTTP. */
  start(server: ServerAddress): Promise<RunningService>;
  /** Serves the gRPC funds service (FUNDS_GRPC_PORT unless given; 0 picks a free port). */
  startFunds(listen?: { port?: number; host?: string }): Promise<RunningGrpcServer>;
  /** Stops serving and disconnects Prisma. The database stays open: its owner closes it. */
  stop(): Promise<void>;
}

export interface CoreServiceOptions {
  /** An open, migrated database (PGlite or a Postgres server); Prisma shares its engine or pool. */
  readonly database: SqlDatabase;
  readonly logger: Logger;
  readonly config: Pick<CoreConfig, 'JWT_SECRET' | 'JWT_TTL_SECONDS'> &
    Partial<
      Pick<
        CoreConfig,
        | 'FUNDS_GRPC_PORT'
        | 'REDIS_URL'
        | 'SIGN_IN_MAX_FAILURES_PER_ACCOUNT'
        | 'SIGN_IN_MAX_FAILURES_PER_ADDRESS'
        | 'SIGN_IN_LOCKOUT_MS'
        | 'SIGN_IN_MAX_LOCKOUT_MS'
      >
    > & {
      /** gRPC callers prove themselves with it, as the router does to subgraphs. */
      readonly INTERNAL_SERVICE_TOKEN: string;
    };
  readonly clock?: Clock;
}

/** Brute-force protection of sign-in as configured, the domain's defaults otherwise. */
const signInThrottleOf = (config: CoreServiceOptions['config']): SignInThrottlePolicy => ({
  ...defaultSignInThrottlePolicy,
  maxFailuresPerAccount:
    config.SIGN_IN_MAX_FAILURES_PER_ACCOUNT ?? defaultSignInThrottlePolicy.maxFailuresPerAccount,
  maxFailuresPerAddress:
    config.SIGN_IN_MAX_FAILURES_PER_ADDRESS ?? defaultSignInThrottlePolicy.maxFailuresPerAddress,
  firstLockoutMs: config.SIGN_IN_LOCKOUT_MS ?? defaultSignInThrottlePolicy.firstLockoutMs,
  maxLockoutMs: config.SIGN_IN_MAX_LOCKOUT_MS ?? defaultSignInThrottlePolicy.maxLockoutMs,
});

/** Wires the core context's adapters to its use cases. */
export const createCoreService = async ({
  database,
  logger,
  config,
  clock = systemClock,
}: CoreServiceOptions): Promise<CoreService> => {
  const prisma = createPrismaClient(database);
  const users = new PrismaUserRepository(prisma);
  const hasher = new ScryptPasswordHasher();
  const tokens = jwtAccessTokenIssuer(
    { secret: config.JWT_SECRET, ttlSeconds: config.JWT_TTL_SECONDS },
    clock,
  );
  // Shared by every core instance through Redis, so a lockout holds whichever one is asked.
  const signInCounters = config.REDIS_URL
    ? RedisWindowCounters.connect(config.REDIS_URL, { prefix: 'core:sign-in:', logger })
    : new InMemoryWindowCounters();
  const useCases: IdentityUseCases = {
    signUp: createSignUp({ users, hasher, tokens, clock, ids: { newId: randomUUID } }),
    signIn: createSignIn({
      users,
      hasher,
      tokens,
      attempts: new WindowCounterSignInAttempts(signInCounters, logger),
      throttle: signInThrottleOf(config),
    }),
    getCurrentUser: createGetCurrentUser({ users }),
    getUser: createGetUser({ users }),
  };
  const permissions = new PrismaPermissionRepository(prisma);
  const funds = new PostgresFundsStore(database, clock, logger);
  const walletReadModel = new PrismaWalletReadModel(prisma);
  const wallets: WalletUseCases = {
    deposit: createDepositFunds({ funds }),
    withdraw: createWithdrawFunds({ funds }),
    getWallets: createGetWallets({ wallets: walletReadModel }),
    getWallet: createGetWallet({ wallets: walletReadModel }),
    getLedger: createGetWalletLedger({ wallets: walletReadModel }),
  };
  const definition: SubgraphDefinition = {
    name: 'core',
    typeDefs,
    resolvers: [
      identityResolvers(useCases),
      assetResolvers,
      walletResolvers(wallets),
      permissionResolvers({
        grantPermission: createGrantPermission({ users, permissions, clock }),
        revokePermission: createRevokePermission({ users, permissions, clock }),
        assignRole: createAssignRole({ users, permissions, clock }),
        getUser: useCases.getUser,
        getEffectivePermissions: createGetEffectivePermissions({ users, permissions }),
      }),
    ],
  };
  const fundsGrpcUseCases = {
    reserve: createReserveFunds({ funds }),
    release: createReleaseFunds({ funds }),
    settle: createSettleTrade({ funds }),
    getWallets: wallets.getWallets,
    hasPermission: createHasPermission({ users, permissions }),
  };

  let running: RunningService | undefined;
  let fundsServer: RunningGrpcServer | undefined;
  return {
    definition,
    useCases,
    wallets,
    funds,
    async seedDemoUsers() {
      const seeded = await seedDemoUsers({ users, hasher, clock, logger });
      await seedDemoBalances({ deposit: wallets.deposit, logger });
      return seeded;
    },
    async start(server) {
      running = await startSubgraphServer(definition, { ...server, logger });
      return running;
    },
    async startFunds(listen = {}) {
      fundsServer = await startFundsGrpcServer({
        useCases: fundsGrpcUseCases,
        internalToken: config.INTERNAL_SERVICE_TOKEN,
        logger,
        port: listen.port ?? config.FUNDS_GRPC_PORT ?? 4011,
        host: listen.host ?? '127.0.0.1',
      });
      return fundsServer;
    },
    async stop() {
      await Promise.all([running?.stop(), fundsServer?.stop()]);
      running = undefined;
      fundsServer = undefined;
      await prisma.$disconnect();
      await signInCounters.close();
    },
  };
};

export const coreSubgraph = defineSubgraphService({
  name: 'core',
  defaultPort: 4001,
  config: coreConfig,
  /** The write model's migrations, generated from prisma/schema.prisma. */
  migrations: [fileURLToPath(new URL('../../../prisma/migrations', import.meta.url))],
  async start({ database, logger, config, clock, server }) {
    const service = await createCoreService({
      database,
      logger,
      config: { ...config, INTERNAL_SERVICE_TOKEN: server.internalToken },
      clock,
    });
    try {
      if (config.SEED_DEMO_DATA ?? config.NODE_ENV !== 'production') await service.seedDemoUsers();
      const running = await service.start(server);
      const funds = await service.startFunds({ host: server.host });
      return { ...running, internalGrpc: funds.address, stop: () => service.stop() };
    } catch (error) {
      await service.stop();
      throw error;
    }
  },
});
