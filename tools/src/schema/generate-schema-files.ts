import { checkComposition, type CompositionProblem } from './check-composition.js';
import { loadSubgraphs } from './load-subgraphs.js';
import { renderSchemaFiles, type SchemaFiles } from './schema-files.js';
import type { SubgraphSource } from './subgraphs.js';

export type Generation =
  | {
      readonly ok: true;
      readonly files: SchemaFiles;
      readonly supergraphSdl: string;
      readonly hints: readonly string[];
    }
  | { readonly ok: false; readonly problems: readonly CompositionProblem[] };

/** Loads every subgraph's SDL, composes the supergraph and renders the files of `schema/`. */
export async function generateSchemaFiles(sources: readonly SubgraphSource[]): Promise<Generation> {
  const subgraphs = await loadSubgraphs(sources);
  const composition = checkComposition(subgraphs);
  if (!composition.ok) return composition;
  return {
    ok: true,
    files: renderSchemaFiles(subgraphs, composition.supergraphSdl),
    supergraphSdl: composition.supergraphSdl,
    hints: composition.hints,
  };
}
