import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chooseBaseRef, type BaseRefChoice } from './base-supergraph.js';
import { SubgraphLoadError } from './load-subgraphs.js';
import { subgraphs, type SubgraphSource } from './subgraphs.js';

export interface SchemaCliOptions {
  /** The repository checkout the command works on (git commands run here). */
  readonly cwd: string;
  readonly schemaDir: string;
  readonly sources: readonly SubgraphSource[];
  readonly base: BaseRefChoice;
}

/** Thrown for bad flags or configuration: reported without a stack trace, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const USAGE = `Options:
  --cwd <dir>          repository checkout to work on (default: the current directory)
  --schema-dir <dir>   where the generated *.graphql files live (default: <cwd>/schema)
  --subgraphs <module> module exporting \`subgraphs: SubgraphSource[]\` (default: tools/src/schema/subgraphs.ts)
  --base <ref>         schema:check only: git ref to check breaking changes against
                       (default: $SCHEMA_BASE_REF, else origin/main)`;

export async function readCliOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<SchemaCliOptions> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        cwd: { type: 'string' },
        'schema-dir': { type: 'string' },
        subgraphs: { type: 'string' },
        base: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const cwd = resolve(values.cwd ?? '.');
  return {
    cwd,
    schemaDir: resolve(cwd, values['schema-dir'] ?? 'schema'),
    sources: values.subgraphs ? await importSources(resolve(values.subgraphs)) : subgraphs,
    base: chooseBaseRef(values.base, env['SCHEMA_BASE_REF']),
  };
}

async function importSources(module: string): Promise<readonly SubgraphSource[]> {
  if (!existsSync(module)) throw new UsageError(`--subgraphs: ${module} does not exist.`);
  const { subgraphs: sources } = (await import(pathToFileURL(module).href)) as {
    subgraphs?: unknown;
  };
  if (!Array.isArray(sources)) {
    throw new UsageError(`${module} must export \`subgraphs\`, an array of SubgraphSource.`);
  }
  return sources as readonly SubgraphSource[];
}

/** Runs a CLI body: known failures print their message and exit 2, anything else keeps its stack. */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError || error instanceof SubgraphLoadError) {
        console.error(`✖ ${error.message}`);
      } else {
        console.error(error);
      }
      process.exitCode = 2;
    },
  );
}
