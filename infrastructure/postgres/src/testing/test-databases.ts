import { describe } from '@jest/globals';
import { openPgliteDatabase } from '../pglite-database.js';
import { openPostgresServerDatabase } from '../postgres-server-database.js';
import type { SqlDatabase } from '../sql-database.js';
import { describeIfAvailable } from './describe-if-available.js';
import {
  createScratchDatabase,
  postgresServerUnavailableReason,
  type TestServerDatabase,
} from './scratch-database.js';

/**
 * An engine an integration test runs against. Each `open()` gives a fresh, empty
 * database, so test files never see each other's rows.
 */
export interface TestEngine {
  readonly name: 'pglite' | 'postgres';
  open(): Promise<SqlDatabase>;
}

/** The Postgres server at DATABASE_URL (or 127.0.0.1:5432). */
export interface TestPostgresServer extends TestEngine {
  readonly name: 'postgres';
  createDatabase(): Promise<TestServerDatabase>;
}

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
