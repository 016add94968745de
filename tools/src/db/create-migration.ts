import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readMigrationFiles } from '@simple-securities/postgres';
import { openSchemaEngine } from './schema-engine.js';
import { coreMigrationsPath, prismaSchemaPath } from './paths.js';

/**
 * `npm run db:migration:create -- <name>`: writes the SQL that takes the committed
 * migrations to what prisma/schema.prisma now says, as a new migration folder. Review
 * the file, then commit it; `npm run db:migrate` (or a service at start) applies it.
 */
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: npm run db:migration:create -- <name>   (lower case, digits and _)');
  process.exit(2);
}

const LOCKFILE =
  '# Written by tools/src/db/create-migration.ts; keeps Prisma tooling on the same provider.\nprovider = "postgresql"\n';

const timestamp = (now: Date) => now.toISOString().replace(/\D/g, '').slice(0, 14);

const schema = await readFile(prismaSchemaPath, 'utf8');
const committed = await readMigrationFiles([coreMigrationsPath]).catch((error: unknown) => {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
  throw error;
});

const engine = await openSchemaEngine([[prismaSchemaPath, schema]], () => undefined);
try {
  const { stdout } = await engine.diff({
    from: {
      tag: 'migrations',
      baseDir: coreMigrationsPath,
      lockfile: { path: 'migration_lock.toml', content: LOCKFILE },
      shadowDbInitScript: '',
      migrationDirectories: committed.map((migration) => ({
        path: migration.name,
        migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: migration.sql } },
      })),
    },
    to: { tag: 'schemaDatamodel', files: [{ path: prismaSchemaPath, content: schema }] },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  const sql = (stdout ?? '').trim();
  if (!sql || sql === '-- This is an empty migration.') {
    console.log('prisma/schema.prisma matches the committed migrations: nothing to create.');
  } else {
    const folder = path.join(coreMigrationsPath, `${timestamp(new Date())}_${name}`);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'migration.sql'), `${sql}\n`);
    await writeFile(path.join(coreMigrationsPath, 'migration_lock.toml'), LOCKFILE);
    console.log(`Created ${path.relative(process.cwd(), folder)}/migration.sql:\n\n${sql}\n`);
  }
} finally {
  engine.free();
}
