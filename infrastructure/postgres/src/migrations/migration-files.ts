import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** One committed migration: `<directory>/<timestamp>_<name>/migration.sql` (Prisma's layout). */
export interface MigrationFile {
  /** The folder name, e.g. `20260101000000_users`; unique across all registered directories. */
  readonly name: string;
  readonly path: string;
  readonly sql: string;
  /** SHA-256 of the file, hex: what Prisma stores in `_prisma_migrations.checksum`. */
  readonly checksum: string;
}

const MIGRATION_FOLDER = /^\d{14}_[a-z0-9_]+$/i;

export const checksumOf = (sql: string): string => createHash('sha256').update(sql).digest('hex');

const readDirectory = async (directory: string): Promise<MigrationFile[]> => {
  const entries = await readdir(directory, { withFileTypes: true });
  const folders = entries
    .filter((entry) => entry.isDirectory() && MIGRATION_FOLDER.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    folders.map(async (name) => {
      const file = path.join(directory, name, 'migration.sql');
      const sql = await readFile(file, 'utf8');
      return { name, path: file, sql, checksum: checksumOf(sql) };
    }),
  );
};

/**
 * Every migration of the given directories, each directory in its own timestamp order and
 * the directories in the order given (each context owns its tables, so only the order
 * within a context matters).
 */
export const readMigrationFiles = async (
  directories: readonly string[],
): Promise<MigrationFile[]> => {
  const all = (await Promise.all(directories.map(readDirectory))).flat();
  const seen = new Map<string, string>();
  for (const migration of all) {
    const other = seen.get(migration.name);
    if (other) {
      throw new Error(
        `Two migrations share the name ${migration.name} (${other} and ${migration.path}); rename one of them.`,
      );
    }
    seen.set(migration.name, migration.path);
  }
  return all;
};
