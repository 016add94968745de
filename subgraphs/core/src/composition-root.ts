import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  createGetCurrentUser,
  createGetUser,
  createSignIn,
  createSignUp,
} from '@simple-securities/identity';
import { type SqlDatabase, migrate, platformMigrationsDir } from '@simple-securities/postgres';
import {
  type Logger,
  type RunningService,
  type SubgraphDefinition,
  startSubgraphServer,
} from '@simple-securities/service-kit';
import { type Clock, systemClock } from '@simple-securities/shared-kernel';
import { createPrismaClient } from './adapters/persistence/prisma-client.js';
import { PrismaUserRepository } from './adapters/persistence/prisma-user-repository.js';
import { jwtAccessTokenIssuer } from './adapters/security/jwt-access-token-issuer.js';
import { ScryptPasswordHasher } from './adapters/security/scrypt-password-hasher.js';
import type { CoreServiceConfig } from './config.js';
import { type IdentityUseCases, identityResolvers } from './graphql/resolvers.js';
import { typeDefs } from './graphql/schema.js';
import { assetResolvers } from './graphql/asset-resolvers.js';
import { seedDemoUsers } from './seed/demo-users.js';

/**
 * What core needs in its database: the event platform (its outbox) and the write
 * model's migrations generated from prisma/schema.prisma.
 */
export const coreMigrations = [
  platformMigrationsDir,
  fileURLToPath(new URL('../../../prisma/migrations', import.meta.url)),
];

export interface CoreService {
  readonly definition: SubgraphDefinition;
  readonly useCases: IdentityUseCases;
  /** Idempotent; see src/seed/demo-users.ts. */
  seedDemoUsers(): Promise<{ created: string[] }>;
  /** Serves the subgraph over HTTP (port and host from the config unless given). */
  start(listen?: { port?: number; host?: string }): Promise<RunningService>;
  /** Stops serving and disconnects Prisma. The database stays open: its owner closes it. */
  stop(): Promise<void>;
}

export interface CoreServiceOptions {
  /** An open database (PGlite or a Postgres server); Prisma shares its engine or pool. */
  readonly database: SqlDatabase;
  readonly logger: Logger;
  readonly config: Pick<
    CoreServiceConfig,
    'JWT_SECRET' | 'JWT_TTL_SECONDS' | 'INTERNAL_SERVICE_TOKEN' | 'PORT' | 'HOST'
  >;
  readonly clock?: Clock;
  /** Applies coreMigrations first (default); a launcher that migrates every context itself may skip it. */
  readonly migrate?: boolean;
}

/** Wires the core context's adapters to its use cases. */
export const createCoreService = async ({
  database,
  logger,
  config,
  clock = systemClock,
  migrate: runMigrations = true,
}: CoreServiceOptions): Promise<CoreService> => {
  if (runMigrations) await migrate({ database, directories: coreMigrations, logger });

  const prisma = createPrismaClient(database);
  const users = new PrismaUserRepository(prisma);
  const hasher = new ScryptPasswordHasher();
  const tokens = jwtAccessTokenIssuer(
    { secret: config.JWT_SECRET, ttlSeconds: config.JWT_TTL_SECONDS },
    clock,
  );
  const useCases: IdentityUseCases = {
    signUp: createSignUp({ users, hasher, tokens, clock, ids: { newId: randomUUID } }),
    signIn: createSignIn({ users, hasher, tokens }),
    getCurrentUser: createGetCurrentUser({ users }),
    getUser: createGetUser({ users }),
  };
  const definition: SubgraphDefinition = {
    name: 'core',
    typeDefs,
    resolvers: [identityResolvers(useCases), assetResolvers],
  };

  let running: RunningService | undefined;
  return {
    definition,
    useCases,
    seedDemoUsers: () => seedDemoUsers({ users, hasher, clock, logger }),
    async start(listen = {}) {
      running = await startSubgraphServer(definition, {
        port: listen.port ?? config.PORT,
        host: listen.host ?? config.HOST,
        logger,
        internalToken: config.INTERNAL_SERVICE_TOKEN,
      });
      return running;
    },
    async stop() {
      await running?.stop();
      running = undefined;
      await prisma.$disconnect();
    },
  };
};
