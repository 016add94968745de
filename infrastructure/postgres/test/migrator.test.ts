import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it, expect, beforeAll, afterAll, beforeEach, afterEach } from '@jest/globals';
import { pino } from 'pino';
import { migrate, type SqlDatabase } from '../src/index.js';
import { describeOnEachEngine } from '../src/testing/test-databases.js';

const logger = pino({ level: 'silent' });

const writeMigration = async (directory: string, name: string, sql: string) => {
  await mkdir(path.join(directory, name), { recursive: true });
  await writeFile(path.join(directory, name, 'migration.sql'), sql);
};

await describeOnEachEngine('migrator', (engine) => {
  let database: SqlDatabase;
  let directory: string;

  // The first PGlite of a process takes seconds to start: one database per engine, emptied per test.
  beforeAll(async () => {
    database = await engine.open();
  }, 30_000);
  afterAll(() => database.close());

  beforeEach(async () => {
    await database.executeScript(
      'DROP SCHEMA IF EXISTS demo CASCADE; DROP TABLE IF EXISTS other_things, "_prisma_migrations";',
    );
    directory = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    await writeMigration(
      directory,
      '20260101000000_accounts',
      'CREATE SCHEMA IF NOT EXISTS demo;\nCREATE TABLE demo.accounts (id INT PRIMARY KEY);',
    );
    await writeMigration(
      directory,
      '20260102000000_balance',
      'ALTER TABLE demo.accounts ADD COLUMN balance BIGINT NOT NULL DEFAULT 0;',
    );
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const history = async () =>
    (
      await database.query<{ migration_name: string }>(
        'SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name',
      )
    ).rows.map((row) => row.migration_name);

  it('applies pending migrations in order once; a second run is a no-op', async () => {
    const first = await migrate({ database, directories: [directory], logger });
    expect(first.applied).toEqual(['20260101000000_accounts', '20260102000000_balance']);

    const second = await migrate({ database, directories: [directory], logger });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toHaveLength(2);

    await database.query('INSERT INTO demo.accounts (id) VALUES (1)');
    const { rows } = await database.query<{ balance: string }>(
      'SELECT balance::text AS balance FROM demo.accounts',
    );
    expect(rows).toEqual([{ balance: '0' }]);
    expect(await history()).toEqual(['20260101000000_accounts', '20260102000000_balance']);
  });

  it('applies only what was added since the last run', async () => {
    await migrate({ database, directories: [directory], logger });
    await writeMigration(
      directory,
      '20260103000000_owner',
      'ALTER TABLE demo.accounts ADD COLUMN owner TEXT;',
    );
    const result = await migrate({ database, directories: [directory], logger });
    expect(result.applied).toEqual(['20260103000000_owner']);
  });

  it('refuses to run when an applied migration file was changed', async () => {
    await migrate({ database, directories: [directory], logger });
    await writeMigration(
      directory,
      '20260102000000_balance',
      'ALTER TABLE demo.accounts ADD COLUMN balance NUMERIC NOT NULL DEFAULT 0;',
    );
    await writeMigration(directory, '20260103000000_later', 'CREATE TABLE demo.later (id INT);');

    await expect(migrate({ database, directories: [directory], logger })).rejects.toThrow(
      /20260102000000_balance was changed after it was applied/,
    );
    // Nothing after the edited migration ran either.
    expect(await history()).toEqual(['20260101000000_accounts', '20260102000000_balance']);
  });

  it('rolls a failing migration back completely and records nothing for it', async () => {
    await writeMigration(
      directory,
      '20260103000000_broken',
      'CREATE TABLE demo.half (id INT);\nSELECT no_such_function();',
    );
    await expect(migrate({ database, directories: [directory], logger })).rejects.toThrow(
      /20260103000000_broken failed and was rolled back/,
    );
    expect(await history()).toEqual(['20260101000000_accounts', '20260102000000_balance']);
    const { rows } = await database.query(
      "SELECT 1 FROM information_schema.tables WHERE table_schema = 'demo' AND table_name = 'half'",
    );
    expect(rows).toEqual([]);
  });

  it('applies each migration exactly once when two runs start at the same time', async () => {
    const [a, b] = await Promise.all([
      migrate({ database, directories: [directory], logger }),
      migrate({ database, directories: [directory], logger }),
    ]);
    expect([...a.applied, ...b.applied].sort()).toEqual([
      '20260101000000_accounts',
      '20260102000000_balance',
    ]);
    expect(await history()).toEqual(['20260101000000_accounts', '20260102000000_balance']);
  });

  it('applies the folders of several contexts, rejecting a name used twice', async () => {
    const other = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    try {
      await writeMigration(other, '20250101000000_other', 'CREATE TABLE other_things (id INT);');
      const result = await migrate({ database, directories: [directory, other], logger });
      expect(result.applied).toEqual([
        '20260101000000_accounts',
        '20260102000000_balance',
        '20250101000000_other',
      ]);
      await writeMigration(other, '20260101000000_accounts', 'SELECT 1;');
      await expect(migrate({ database, directories: [directory, other], logger })).rejects.toThrow(
        /share the name 20260101000000_accounts/,
      );
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
