import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPgliteDatabase } from '../pglite-database.js';
import { openPostgresServerDatabase } from '../postgres-server-database.js';
import type { SqlDatabase } from '../sql-database.js';

/**
 * The engines an integration test runs against: PGlite always, the Postgres
 * server at DATABASE_URL (or 127.0.0.1:5432) when it answers. Each `open()`
 * gives a fresh, empty database so test files never see each other's rows.
 */
export interface TestEngine {
  readonly name: 'pglite' | 'postgres';
  open(): Promise<SqlDatabase>;
}

const serverUrl = () => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

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
      `no Postgres server at ${serverUrl()} (${error instanceof Error ? error.message : String(error)})`,
  ));

const pgliteEngine: TestEngine = { name: 'pglite', open: () => openPgliteDatabase() };

/** A fresh, empty database on the server, for a test that hands its URL to other processes. */
export const createServerDatabase = async (): Promise<{ url: string; drop(): Promise<void> }> => {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  return {
    url: withDatabase(serverUrl(), name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
};

const postgresEngine: TestEngine = {
  name: 'postgres',
  async open() {
    const created = await createServerDatabase();
    const database = openPostgresServerDatabase(created.url);
    return {
      ...database,
      close: async () => {
        await database.close();
        await created.drop();
      },
    };
  },
};

/** Use with top-level await: `describe.each(await testEngines())('…', (engine) => …)`. */
export const testEngines = async (): Promise<TestEngine[]> => {
  const unavailable = await postgresServerUnavailableReason();
  if (unavailable) {
    console.warn(`Postgres server tests SKIPPED: ${unavailable}. Set DATABASE_URL to run them.`);
    return [pgliteEngine];
  }
  return [pgliteEngine, postgresEngine];
};
