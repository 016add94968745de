import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgliteDatabase, QueryResult, SqlExecutor, SqlTransaction } from './sql-database.js';

type PgliteQueryable = Pick<PGlite, 'query'>;

const executorFor = (queryable: PgliteQueryable): SqlExecutor => ({
  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
    const result = await queryable.query<Row>(sql, params as unknown[]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  },
});

/**
 * After a process holding the folder was killed, PGlite can abort on open because of
 * the stale `postmaster.pid` it left (always the fake pid -42, so it names no live
 * owner). Postgres replays its WAL on the retry; committed data survives.
 */
const openDataDir = async (dataDir: string): Promise<PGlite> => {
  try {
    return await PGlite.create(dataDir);
  } catch (error) {
    const lockFile = path.join(dataDir, 'postmaster.pid');
    if (!existsSync(lockFile)) throw error;
    rmSync(lockFile);
    return PGlite.create(dataDir);
  }
};

/** Embedded Postgres. `dataDir` keeps data on disk; omit it for an in-memory database (tests). */
export const openPgliteDatabase = async (dataDir?: string): Promise<PgliteDatabase> => {
  const pglite = dataDir ? await openDataDir(dataDir) : await PGlite.create();
  return {
    engine: 'pglite',
    pglite,
    ...executorFor(pglite),
    transaction: (work) =>
      pglite.transaction((tx) => {
        const transaction: SqlTransaction = {
          ...executorFor(tx),
          executeScript: async (sql) => {
            await tx.exec(sql);
          },
        };
        return work(transaction);
      }),
    executeScript: async (sql) => {
      await pglite.exec(sql);
    },
    listen: async (channel, onNotify) => pglite.listen(channel, onNotify),
    close: () => pglite.close(),
  };
};
