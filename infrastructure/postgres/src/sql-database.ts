import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

/**
 * The one seam between our Postgres adapters and a Postgres engine. Both the
 * embedded engine (PGlite, in-process) and a Postgres server (node-postgres pool)
 * implement it, so every adapter written against it runs in both modes unchanged.
 */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface SqlExecutor {
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>>;
}

/** The executor inside a transaction; it can also run multi-statement scripts (migrations). */
export interface SqlTransaction extends SqlExecutor {
  executeScript(sql: string): Promise<void>;
}

interface SqlDatabaseOperations extends SqlExecutor {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations, fixtures). */
  executeScript(sql: string): Promise<void>;
  /**
   * LISTEN on a channel; resolves to a function that stops listening. `onLost` is called
   * once if the listening connection drops (the server restarted, the connection was
   * killed): nothing more arrives until the caller listens again.
   */
  listen(
    channel: string,
    onNotify: (payload: string) => void,
    onLost?: (error: Error) => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * The engine's own handle stays reachable for the few drivers that must share it
 * (Prisma's adapters), narrowed by `engine`.
 */
export interface PgliteDatabase extends SqlDatabaseOperations {
  readonly engine: 'pglite';
  readonly pglite: PGlite;
}

export interface PostgresServerDatabase extends SqlDatabaseOperations {
  readonly engine: 'postgres';
  readonly pool: pg.Pool;
}

export type SqlDatabase = PgliteDatabase | PostgresServerDatabase;
