import { SpanKind, SpanStatusCode, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import {
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
} from '@opentelemetry/semantic-conventions';
import type { QueryResult, SqlDatabase, SqlExecutor, SqlTransaction } from './sql-database.js';

const POSTGRESQL = { [ATTR_DB_SYSTEM_NAME]: 'postgresql' };

/** A statement's verb (`SELECT`, `INSERT`, …), which names its span. */
const operationOf = (sql: string) => /^\s*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SQL';

/**
 * Runs `work` in a client span, a child of the active span. Work that belongs
 * to no traced operation (consumers polling the bus, retention jobs) runs
 * untraced: a trace per poll would bury the operations' traces.
 */
const inSpan = <T>(
  tracer: Tracer,
  name: string,
  attributes: Attributes,
  work: () => Promise<T>,
): Promise<T> => {
  if (!trace.getActiveSpan()) return work();
  return tracer.startActiveSpan(
    name,
    { kind: SpanKind.CLIENT, attributes: { ...POSTGRESQL, ...attributes } },
    async (span) => {
      try {
        return await work();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
};

const tracedQuery =
  (executor: SqlExecutor, tracer: Tracer): SqlExecutor['query'] =>
  <Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> => {
    const operation = operationOf(sql);
    return inSpan(
      tracer,
      operation,
      { [ATTR_DB_OPERATION_NAME]: operation, [ATTR_DB_QUERY_TEXT]: sql },
      () => executor.query<Row>(sql, params),
    );
  };

const tracedTransaction = (tx: SqlTransaction, tracer: Tracer): SqlTransaction => ({
  query: tracedQuery(tx, tracer),
  executeScript: (sql) => inSpan(tracer, 'script', {}, () => tx.executeScript(sql)),
});

/**
 * The same database, with a span for each statement, transaction and script
 * run on behalf of a traced operation (the statement's text, never its
 * parameters). It instruments the seam, so PGlite and a Postgres server are
 * traced alike; Prisma, which drives the engine's own handle, is not.
 */
export const traceDatabase = <Database extends SqlDatabase>(
  database: Database,
  tracer: Tracer,
): Database => ({
  ...database,
  query: tracedQuery(database, tracer),
  transaction: (work) =>
    inSpan(tracer, 'transaction', {}, () =>
      database.transaction((tx) => work(tracedTransaction(tx, tracer))),
    ),
  executeScript: (sql) => inSpan(tracer, 'script', {}, () => database.executeScript(sql)),
});
