import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  createGetCurrentUser,
  createGetUser,
  createSignIn,
  createSignUp,
} from '@simple-securities/identity';
import type { SqlDatabase } from '@simple-securities/postgres';
import {
  defineSubgraphService,
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
import { type CoreConfig, coreConfig } from './config.js';
import { type IdentityUseCases, identityResolvers } from './graphql/resolvers.js';
import { typeDefs } from './graphql/schema.js';
import { assetResolvers } from './graphql/asset-resolvers.js';
import { seedDemoUsers } from './seed/demo-users.js';

export interface CoreService {
  readonly definition: SubgraphDefinition;
  readonly useCases: IdentityUseCases;
  /** Idempotent; see src/seed/demo-users.ts. */
  seedDemoUsers(): Promise<{ created: string[] }>;
  /** Serves the subgraph over HTTP. */
  start(server: ServerAddress): Promise<RunningService>;
  /** Stops serving and disconnects Prisma. The database stays open: its owner closes it. */
  stop(): Promise<void>;
}

export interface CoreServiceOptions {
  /** An open, migrated database (PGlite or a Postgres server); Prisma shares its engine or pool. */
  readonly database: SqlDatabase;
  readonly logger: Logger;
  readonly config: Pick<CoreConfig, 'JWT_SECRET' | 'JWT_TTL_SECONDS'>;
  readonly clock?: Clock;
}

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
    async start(server) {
      running = await startSubgraphServer(definition, { ...server, logger });
      return running;
    },
    async stop() {
      await running?.stop();
      running = undefined;
      await prisma.$disconnect();
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
    const service = await createCoreService({ database, logger, config, clock });
    try {
      if (config.SEED_DEMO_DATA ?? config.NODE_ENV !== 'production') await service.seedDemoUsers();
      const running = await service.start(server);
      return { ...running, stop: () => service.stop() };
    } catch (error) {
      await service.stop();
      throw error;
    }
  },
});
