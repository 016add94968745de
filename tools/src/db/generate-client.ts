import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prismaSchemaPath } from './paths.js';

/**
 * Generates the Prisma client from prisma/schema.prisma; runs as the root `postinstall`.
 * It must work offline: the CLI downloads its schema engine for every command unless
 * PRISMA_SCHEMA_ENGINE_BINARY names one, and `generate` never runs it, so any executable
 * will do. Telemetry is switched off for the same reason.
 */
const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
const anyExecutable = existsSync('/bin/true') ? '/bin/true' : process.execPath;

const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', prismaSchemaPath], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? anyExecutable,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
if (result.status !== 0) {
  console.error('Generating the Prisma client failed; see the output above.');
  process.exit(result.status ?? 1);
}
