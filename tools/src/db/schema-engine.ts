import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PGlite } from '@electric-sql/pglite';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PrismaPGlite } from 'pglite-prisma-adapter';

export type SchemaEngine = engineBindings.SchemaEngine;

// Our TypeScript lib (ES2023, no DOM) does not declare the WebAssembly global Node has.
interface WebAssemblyRuntime {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, unknown>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WebAssemblyRuntime };

/**
 * Prisma's schema engine compiled to WebAssembly: the migration diffing of
 * `prisma migrate dev` without the native binary the CLI would download. The package's
 * entry point imports the .wasm file as an ES module, which Node 20 cannot do, so we
 * instantiate it ourselves against its generated bindings.
 *
 * The engine talks to Postgres through a driver adapter. An in-memory PGlite is enough:
 * diffing only needs a scratch ("shadow") database to replay the committed migrations on.
 */
export const openSchemaEngine = async (
  schemaFiles: readonly (readonly [path: string, content: string])[],
  log: (line: string) => void,
): Promise<SchemaEngine> => {
  const wasmFile = createRequire(import.meta.url)
    .resolve('@prisma/schema-engine-wasm/schema_engine_bg')
    .replace(/\.js$/, '.wasm');
  const { instance } = await WebAssembly.instantiate(await readFile(wasmFile), {
    './schema_engine_bg.js': engineBindings,
  });
  engineBindings.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();

  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(new PGlite()));
  return engineBindings.SchemaEngine.new(
    { datamodels: schemaFiles.map(([path, content]) => [path, content]) },
    log,
    adapter,
  );
};
