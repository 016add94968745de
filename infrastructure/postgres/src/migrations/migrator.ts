import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { SqlDatabase, SqlExecutor, SqlTransaction } from '../sql-database.js';
import { type MigrationFile, readMigrationFiles } from './migration-files.js';

/**
 * The key Prisma's own `migrate deploy` locks with, so our migrator and Prisma's never
 * run against the same database at once.
 */
const MIGRATION_LOCK_KEY = 72_707_369;

/** Same shape as Prisma's table, so `prisma migrate status` understands our history. */
const MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

export interface MigrateOptions {
  readonly database: SqlDatabase;
  /** Folders holding `<timestamp>_<name>/migration.sql`, e.g. `prisma/migrations`. */
  readonly directories: readonly string[];
  readonly logger: Logger;
}

export interface MigrateResult {
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
}

/**
 * Holds the migration lock for one transaction. A transaction-scoped lock (not a session
 * lock) works the same on a pooled server connection and on PGlite's single session.
 */
const lockedTransaction = <T>(
  database: SqlDatabase,
  work: (tx: SqlTransaction) => Promise<T>,
): Promise<T> =>
  database.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(MIGRATIONS_TABLE);
    return work(tx);
  });

const appliedRows = async (tx: SqlExecutor): Promise<Map<string, AppliedRow>> => {
  const { rows } = await tx.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
      WHERE rolled_back_at IS NULL ORDER BY started_at`,
  );
  return new Map(rows.map((row) => [row.migration_name, row]));
};

/** Refuses to go on when history and files disagree: an edited migration never re-runs silently. */
const verify = (migration: MigrationFile, row: AppliedRow): void => {
  if (row.finished_at === null) {
    throw new MigrationError(
      `Migration ${migration.name} started earlier but never finished. Repair the database by hand, then delete its row from _prisma_migrations.`,
    );
  }
  if (row.checksum !== migration.checksum) {
    throw new MigrationError(
      `Migration ${migration.name} was changed after it was applied (${migration.path}). Restore the committed file and put the change in a new migration.`,
    );
  }
};

/**
 * Applies the committed migrations that the database has not seen yet, in order, each in
 * its own transaction together with its history row. Several processes may start at once:
 * each migration is applied by exactly one of them, under an advisory lock.
 */
export const migrate = async ({
  database,
  directories,
  logger,
}: MigrateOptions): Promise<MigrateResult> => {
  const migrations = await readMigrationFiles(directories);
  const known = await lockedTransaction(database, appliedRows);
  for (const migration of migrations) {
    const row = known.get(migration.name);
    if (row) verify(migration, row);
  }

  const applied: string[] = [];
  const alreadyApplied: string[] = [];
  for (const migration of migrations) {
    if (known.has(migration.name)) {
      alreadyApplied.push(migration.name);
      continue;
    }
    const startedAt = Date.now();
    const didApply = await lockedTransaction(database, async (tx) => {
      // Another process may have applied it while we waited for the lock.
      const row = (await appliedRows(tx)).get(migration.name);
      if (row) {
        verify(migration, row);
        return false;
      }
      try {
        await tx.executeScript(migration.sql);
      } catch (error) {
        throw new MigrationError(
          `Migration ${migration.name} failed and was rolled back (${migration.path}): ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      await tx.query(
        `INSERT INTO "_prisma_migrations"
           (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, $4, now(), 1)`,
        [randomUUID(), migration.checksum, migration.name, new Date(startedAt)],
      );
      return true;
    });
    if (didApply) {
      applied.push(migration.name);
      logger.info(
        { migration: migration.name, durationMs: Date.now() - startedAt },
        `applied database migration ${migration.name}`,
      );
    } else {
      alreadyApplied.push(migration.name);
    }
  }
  logger.info(
    { applied: applied.length, alreadyApplied: alreadyApplied.length },
    applied.length
      ? `database schema is up to date: applied ${applied.length} migration(s)`
      : 'database schema is up to date: nothing to apply',
  );
  return { applied, alreadyApplied };
};
