import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * PGlite does not stop a second process from opening the same folder, and two
 * would corrupt it. Our own lock names the owning process; one left by a process
 * that is gone (killed) is taken over.
 */
const lockDataDir = (dataDir: string): (() => void) => {
  const lockFile = path.join(dataDir, 'simple-securities.pid');
  const owner = existsSync(lockFile) ? Number(readFileSync(lockFile, 'utf8')) : undefined;
  if (owner && owner !== process.pid && isAlive(owner)) {
    throw new Error(
      `The embedded database in ${dataDir} is in use by process ${owner}. Stop that process (or set DATA_DIR to another folder) and start again.`,
    );
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
};

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
  const unlock = dataDir ? lockDataDir(dataDir) : () => undefined;
  const pglite = await (dataDir ? openDataDir(dataDir) : PGlite.create()).catch(
    (error: unknown) => {
      unlock();
      throw error;
    },
  );
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
    close: async () => {
      await pglite.close();
      unlock();
    },
  };
};
