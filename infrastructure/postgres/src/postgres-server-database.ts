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
    async listen(channel, onNotify, onLost) {
      const client = await pool.connect();
      const handler = (message: pg.Notification) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      };
      let lost = false;
      // A checked-out client that errors is not the pool's to handle: without this
      // listener the 'error' event would crash the process.
      const lose = (error: Error) => {
        if (lost) return;
        lost = true;
        client.off('notification', handler);
        client.release(error);
        if (!closing) onLost?.(error);
      };
      client.on('notification', handler);
      const ended = () => lose(new Error('the listening connection ended'));
      client.on('error', lose);
      client.on('end', ended);
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        if (lost) return;
        lost = true;
        client.off('notification', handler);
        client.off('error', lose);
        client.off('end', ended);
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
