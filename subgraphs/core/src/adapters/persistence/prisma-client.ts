import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDatabase } from '@simple-securities/postgres';
import type pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/prisma/client.js';

export type CorePrismaClient = PrismaClient;

const ownProperty = <T>(database: SqlDatabase, key: string): T | undefined =>
  (database as unknown as Record<string, T | undefined>)[key];

/**
 * A Prisma client over the same engine (and, on a server, the same connection pool) as
 * the given database, so Prisma writes and our own SQL (migrations, outbox) see one
 * database. Prisma reaches PGlite through its driver adapter; there is no second process.
 */
export const createPrismaClient = (database: SqlDatabase): CorePrismaClient => {
  if (database.engine === 'pglite') {
    const pglite = ownProperty<PGlite>(database, 'pglite');
    if (!pglite) throw new Error('This PGlite database does not expose its `pglite` instance.');
    return new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  }
  const pool = ownProperty<pg.Pool>(database, 'pool');
  if (!pool) throw new Error('This Postgres server database does not expose its `pool`.');
  return new PrismaClient({ adapter: new PrismaPg(pool) });
};
