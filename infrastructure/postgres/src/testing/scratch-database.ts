/**
 * Scratch databases on the Postgres server, free of any test runner, so that
 * benchmarks can use them too (`@simple-securities/postgres/scratch`).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A fresh database on the Postgres server, for tests that connect to it more than once. */
export interface TestServerDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

const serverUrl = () => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The server's address as the skip reason shows it, without a password. */
const displayedServerUrl = () => {
  const url = new URL(serverUrl());
  if (url.password) url.password = '***';
  return url.toString();
};

const withDatabase = (url: string, database: string) => {
  const target = new URL(url);
  target.pathname = `/${database}`;
  return target.toString();
};

const adminQuery = async (sql: string) => {
  const client = new pg.Client({ connectionString: serverUrl(), connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

let serverReachable: Promise<string | undefined> | undefined;

/** Undefined when the server answers, otherwise why it cannot be used. */
export const postgresServerUnavailableReason = (): Promise<string | undefined> =>
  (serverReachable ??= adminQuery('SELECT 1').then(
    () => undefined,
    (error: unknown) =>
      `no Postgres server at ${displayedServerUrl()} (${error instanceof Error ? error.message : String(error)}); ` +
      'start one or set DATABASE_URL',
  ));

/**
 * A fresh, empty database on the Postgres server, by URL, for code that connects by itself
 * (a child process, pgbench). `drop()` removes it, cutting off whoever is still connected.
 */
export const createScratchDatabase = async (prefix = 'test'): Promise<TestServerDatabase> => {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  return {
    url: withDatabase(serverUrl(), name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
};
