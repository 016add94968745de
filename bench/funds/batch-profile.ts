import type { SqlDatabase } from '@simple-securities/postgres';

/** What the funds store's transactions did since the last reset, as the service reports it. */
export interface BatchProfile {
  readonly type: 'batches';
  readonly transactions: number;
  /** Wall time of whole transactions: taking a connection, BEGIN, the statements, COMMIT. */
  readonly transactionMs: number;
  /** Wall time of the n-th statement of a transaction, summed over transactions. */
  readonly statementMs: readonly number[];
  readonly statementCounts: readonly number[];
}

/**
 * The same database, timing each transaction and each of its statements by position:
 * where a funds batch spends its time, seen from the service. Only the bench uses it.
 */
export const profileBatches = <Database extends SqlDatabase>(database: Database) => {
  let profile = {
    transactions: 0,
    transactionMs: 0,
    statementMs: [] as number[],
    statementCounts: [] as number[],
  };
  const profiled: Database = {
    ...database,
    transaction: async (work) => {
      const started = performance.now();
      let statement = 0;
      try {
        return await database.transaction((tx) =>
          work({
            ...tx,
            query: async (sql, params) => {
              const index = statement++;
              const sent = performance.now();
              try {
                return await tx.query(sql, params);
              } finally {
                profile.statementMs[index] =
                  (profile.statementMs[index] ?? 0) + performance.now() - sent;
                profile.statementCounts[index] = (profile.statementCounts[index] ?? 0) + 1;
              }
            },
          }),
        );
      } finally {
        profile.transactions += 1;
        profile.transactionMs += performance.now() - started;
      }
    },
  };
  return {
    database: profiled,
    /** What happened since the last call. */
    take: (): BatchProfile => {
      const taken = profile;
      profile = {
        transactions: 0,
        transactionMs: 0,
        statementMs: [],
        statementCounts: [],
      };
      return { type: 'batches', ...taken };
    },
  };
};
