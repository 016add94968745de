import { PGlite } from '@electric-sql/pglite';
import type { PgliteDatabase, QueryResult, SqlExecutor, SqlTransaction } from './sql-database.js';

type PgliteQueryable = Pick<PGlite, 'query'>;

const executorFor = (queryable: PgliteQueryable): SqlExecutor => ({
  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
    const result = await queryable.query<Row>(sql, params as unknown[]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  },
});

/** Embedded Postgres. `dataDir` keeps data on disk; omit it for an in-memory database (tests). */
export const openPgliteDatabase = async (dataDir?: string): Promise<PgliteDatabase> => {
  const pglite = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
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
