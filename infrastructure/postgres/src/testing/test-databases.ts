import { randomBytes } from 'node:crypto';
import { describe } from '@jest/globals';
import pg from 'pg';
import { openPgliteDatabase } from '../pglite-database.js';
import { openPostgresServerDatabase } from '../postgres-server-database.js';
import type { SqlDatabase } from '../sql-database.js';
import { describeIfAvailable } from './describe-if-available.js';

/**
 * An engine an integration test runs against. Each `open()` gives a fresh, empty
 * database, so test files never see each other's rows.
 */
export interface TestEngine {
  readonly name: 'pglite' | 'postgres';
  open(): Promise<SqlDatabase>;
}

/** A fresh database on the Postgres server, for tests that connect to it more than once. */
export interface TestServerDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** The Postgres server at DATABASE_URL (or 127.0.0.1:5432). */
export interface TestPostgresServer extends TestEngine {
  readonly name: 'postgres';
  createDatabase(): Promise<TestServerDatabase>;
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

const pglite: TestEngine = { name: 'pglite', open: () => openPgliteDatabase() };

const postgresServer: TestPostgresServer = {
  name: 'postgres',
  createDatabase: () => createScratchDatabase(),
  async open() {
    const { url, drop } = await createScratchDatabase();
    const database = openPostgresServerDatabase(url);
    return {
      ...database,
      close: async () => {
        await database.close();
        await drop();
      },
    };
  },
};

/**
 * A suite that needs the Postgres server: skipped, naming why, when none answers
 * (see `describeIfAvailable`). Use with top-level await.
 */
export const describeOnPostgresServer = async (
  title: string,
  body: (server: TestPostgresServer) => void,
): Promise<void> => {
  describeIfAvailable(await postgresServerUnavailableReason(), title, () => body(postgresServer));
};

/**
 * The same suite on every engine, "<title> on pglite" and "<title> on postgres":
 * PGlite always, the server's skipped, naming why, when none answers.
 * Use with top-level await: `await describeOnEachEngine('migrator', (engine) => …)`.
 */
export const describeOnEachEngine = async (
  title: string,
  body: (engine: TestEngine) => void,
): Promise<void> => {
  describe(`${title} on ${pglite.name}`, () => body(pglite));
  await describeOnPostgresServer(`${title} on ${postgresServer.name}`, body);
};
