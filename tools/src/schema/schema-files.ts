import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { LoadedSubgraph } from './load-subgraphs.js';

export const SUPERGRAPH_FILE = 'supergraph.graphql';

/** File name → content: every `*.graphql` file the schema directory must hold. */
export type SchemaFiles = ReadonlyMap<string, string>;

/**
 * The generated files for composed subgraphs: one SDL per subgraph (printed through
 * `@apollo/subgraph` so federation directives survive) and the supergraph.
 */
export function renderSchemaFiles(
  subgraphs: readonly LoadedSubgraph[],
  supergraphSdl: string,
): SchemaFiles {
  const files = new Map<string, string>();
  for (const { name, typeDefs } of subgraphs) {
    files.set(
      `${name}.graphql`,
      withFinalNewline(printSubgraphSchema(buildSubgraphSchema(typeDefs))),
    );
  }
  files.set(SUPERGRAPH_FILE, withFinalNewline(supergraphSdl));
  return files;
}

/** Writes the files and removes `*.graphql` files no subgraph produces any more. */
export async function writeSchemaFiles(files: SchemaFiles, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const file of await listGraphqlFiles(dir)) {
    if (!files.has(file)) await rm(join(dir, file));
  }
  for (const [file, content] of files) {
    await writeFile(join(dir, file), content);
  }
}

export interface StaleFile {
  readonly file: string;
  readonly reason: 'missing' | 'outdated' | 'unexpected';
}

/** Compares the committed schema directory with what the code produces now. */
export async function findStaleFiles(expected: SchemaFiles, dir: string): Promise<StaleFile[]> {
  const present = new Set(await listGraphqlFiles(dir));
  const stale: StaleFile[] = [];
  for (const [file, content] of expected) {
    if (!present.has(file)) stale.push({ file, reason: 'missing' });
    else if (normalise(await readFile(join(dir, file), 'utf8')) !== content) {
      stale.push({ file, reason: 'outdated' });
    }
  }
  for (const file of present) {
    if (!expected.has(file)) stale.push({ file, reason: 'unexpected' });
  }
  return stale;
}

export function formatStaleFiles(stale: readonly StaleFile[], dir: string): string {
  const explain: Record<StaleFile['reason'], string> = {
    missing: 'missing',
    outdated: 'differs from what the subgraph code produces',
    unexpected: 'no subgraph produces it',
  };
  return [
    `✖ ${stale.length} schema file(s) in ${dir} are stale:`,
    ...stale.map(({ file, reason }) => `  ${join(dir, file)}: ${explain[reason]}`),
    'Run `npm run schema` and commit the result.',
  ].join('\n');
}

async function listGraphqlFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((file) => file.endsWith('.graphql')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function withFinalNewline(sdl: string): string {
  return sdl.endsWith('\n') ? sdl : `${sdl}\n`;
}

// A checkout with CRLF line endings holds the same schema; only content changes are stale.
function normalise(text: string): string {
  return text.replace(/\r\n/g, '\n');
}
