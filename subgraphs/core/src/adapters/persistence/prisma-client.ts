import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDatabase } from '@simple-securities/postgres';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/prisma/client.js';

export type CorePrismaClient = PrismaClient;

/**
 * A Prisma client over the same engine (and, on a server, the same connection pool) as
 * the given database, so Prisma writes and our own SQL (migrations, outbox) see one
 * database. Prisma reaches PGlite through its driver adapter; there is no second process.
 */
export const createPrismaClient = (database: SqlDatabase): CorePrismaClient =>
  new PrismaClient({
    adapter:
      database.engine === 'pglite'
        ? new PrismaPGlite(database.pglite)
        : new PrismaPg(database.pool),
  });
