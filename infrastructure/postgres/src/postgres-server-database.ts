import pg from 'pg';
import type { PostgresServerDatabase, QueryResult, SqlExecutor } from './sql-database.js';

const executorFor = (client: pg.Pool | pg.PoolClient): SqlExecutor => ({
  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
    const result = await client.query(sql, params as unknown[]);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
  },
});

/** A Postgres server reached through a node-postgres pool. */
export const openPostgresServerDatabase = (
  connectionString: string,
  options: { maxConnections?: number } = {},
): PostgresServerDatabase => {
  const pool = new pg.Pool({ connectionString, max: options.maxConnections ?? 10 });
  // An idle connection that drops (server restart, database dropped after close) only
  // leaves the pool; without a listener the 'error' event would crash the process.
  let closing = false;
  pool.on('error', (error) => {
    if (!closing) process.emitWarning(`Postgres pool lost an idle connection: ${error.message}`);
  });
  return {
    engine: 'postgres',
    pool,
    ...executorFor(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({
          ...executorFor(client),
          executeScript: async (sql) => {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async executeScript(sql) {
      await pool.query(sql);
    },
    async listen(channel, onNotify) {
      const client = await pool.connect();
      const handler = (message: pg.Notification) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      };
      client.on('notification', handler);
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        client.off('notification', handler);
        await client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
        client.release();
      };
    },
    close: () => {
      closing = true;
      return pool.end();
    },
  };
};
