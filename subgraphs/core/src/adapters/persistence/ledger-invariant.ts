import type { SqlExecutor } from '@simple-securities/postgres';

export interface LedgerInvariantViolations {
  /** Assets whose entries do not sum to zero. */
  readonly unbalancedAssets: { asset: string; sum: string }[];
  /** Wallets whose balances differ from the sum of their entries. */
  readonly driftedWallets: {
    userId: string;
    asset: string;
    available: string;
    reserved: string;
    availableEntries: string;
    reservedEntries: string;
  }[];
  /** Transactions whose entries do not sum to zero per asset. */
  readonly unbalancedTransactions: { transactionId: string; asset: string; sum: string }[];
}

/**
 * Checks the ledger from scratch: per asset every entry sums to zero, each transaction
 * balances, and every wallet equals the sum of its entries. Tests run it after every
 * integration test of core; an operator can run it against a live database.
 */
export const checkLedgerInvariant = async (db: SqlExecutor): Promise<LedgerInvariantViolations> => {
  const assets = await db.query<{ asset: string; sum: string }>(
    `SELECT asset, sum(amount)::text AS sum FROM core.ledger_entries GROUP BY asset HAVING sum(amount) <> 0`,
  );
  const transactions = await db.query<{ transactionId: string; asset: string; sum: string }>(
    `SELECT transaction_id AS "transactionId", asset, sum(amount)::text AS sum FROM core.ledger_entries
      GROUP BY transaction_id, asset HAVING sum(amount) <> 0 LIMIT 100`,
  );
  const wallets = await db.query<LedgerInvariantViolations['driftedWallets'][number]>(
    `WITH sums AS (
       SELECT user_id, asset,
              coalesce(sum(amount) FILTER (WHERE account LIKE '%:available'), 0) AS available,
              coalesce(sum(amount) FILTER (WHERE account LIKE '%:reserved'), 0) AS reserved
         FROM core.ledger_entries WHERE user_id IS NOT NULL GROUP BY user_id, asset)
     SELECT coalesce(w.user_id, s.user_id) AS "userId", coalesce(w.asset, s.asset) AS asset,
            coalesce(w.available, 0)::text AS available, coalesce(w.reserved, 0)::text AS reserved,
            coalesce(s.available, 0)::text AS "availableEntries", coalesce(s.reserved, 0)::text AS "reservedEntries"
       FROM core.wallets w FULL JOIN sums s ON s.user_id = w.user_id AND s.asset = w.asset
      WHERE coalesce(w.available, 0) <> coalesce(s.available, 0) OR coalesce(w.reserved, 0) <> coalesce(s.reserved, 0)
      LIMIT 100`,
  );
  return {
    unbalancedAssets: assets.rows,
    unbalancedTransactions: transactions.rows,
    driftedWallets: wallets.rows,
  };
};
