import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Kind, type DocumentNode } from 'graphql';
import type { SubgraphSource } from './subgraphs.js';

export interface LoadedSubgraph {
  readonly name: string;
  readonly url: string;
  readonly typeDefs: DocumentNode;
}

/** Thrown when a subgraph's schema module is missing or does not honour the `typeDefs` contract. */
export class SubgraphLoadError extends Error {
  override readonly name = 'SubgraphLoadError';
}

/** Loads every subgraph, reporting all broken ones at once rather than the first. */
export async function loadSubgraphs(sources: readonly SubgraphSource[]): Promise<LoadedSubgraph[]> {
  const results = await Promise.allSettled(sources.map(loadSubgraph));
  const failures = results.flatMap((result) =>
    result.status === 'rejected' ? [result.reason] : [],
  );
  if (failures.length > 0) {
    const messages = failures.map((error: unknown) =>
      error instanceof Error ? error.message : String(error),
    );
    throw new SubgraphLoadError(
      `Cannot load ${failures.length} subgraph schema(s):\n${messages.map((m) => `  - ${m}`).join('\n')}`,
    );
  }
  return results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
}

async function loadSubgraph(source: SubgraphSource): Promise<LoadedSubgraph> {
  if (!existsSync(source.schemaModule)) {
    throw new SubgraphLoadError(
      `Subgraph "${source.name}": ${source.schemaModule} does not exist. ` +
        'Each subgraph exports its SDL as `typeDefs` (built with gql) from src/graphql/schema.ts.',
    );
  }
  let module: { typeDefs?: unknown };
  try {
    module = (await import(pathToFileURL(source.schemaModule).href)) as { typeDefs?: unknown };
  } catch (error) {
    throw new SubgraphLoadError(
      `Subgraph "${source.name}": importing ${source.schemaModule} failed: ${describe(error)}`,
      { cause: error },
    );
  }
  if (!isDocument(module.typeDefs)) {
    throw new SubgraphLoadError(
      `Subgraph "${source.name}": ${source.schemaModule} must export \`typeDefs\` as a GraphQL DocumentNode (gql\`...\`).`,
    );
  }
  return { name: source.name, url: source.url, typeDefs: module.typeDefs };
}

// gql throws GraphQL syntax errors whose position is only in `locations`, not in the message.
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const locations = (error as { locations?: readonly { line: number; column: number }[] })
    .locations;
  const at = locations?.[0];
  return at ? `${error.message} (SDL line ${at.line}, column ${at.column})` : error.message;
}

function isDocument(value: unknown): value is DocumentNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === Kind.DOCUMENT
  );
}
