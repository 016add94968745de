import { composeServices } from '@apollo/composition';
import type { GraphQLError } from 'graphql';
import type { LoadedSubgraph } from './load-subgraphs.js';

export interface CompositionProblem {
  /** Federation's error code, e.g. FIELD_TYPE_MISMATCH. */
  readonly code: string;
  readonly message: string;
  /** The subgraphs the error is about, sorted. */
  readonly subgraphs: readonly string[];
}

export type CompositionOutcome =
  | { readonly ok: true; readonly supergraphSdl: string; readonly hints: readonly string[] }
  | { readonly ok: false; readonly problems: readonly CompositionProblem[] };

/** Composes the supergraph in process, exactly as the router will see it. */
export function checkComposition(subgraphs: readonly LoadedSubgraph[]): CompositionOutcome {
  const result = composeServices(
    subgraphs.map(({ name, url, typeDefs }) => ({ name, url, typeDefs })),
  );
  if (result.errors) {
    return { ok: false, problems: result.errors.map((error) => toProblem(error, subgraphs)) };
  }
  return {
    ok: true,
    supergraphSdl: result.supergraphSdl,
    hints: result.hints.map((hint) => `${hint.definition.code}: ${hint.message}`),
  };
}

function toProblem(error: GraphQLError, subgraphs: readonly LoadedSubgraph[]): CompositionProblem {
  const known = new Set(subgraphs.map(({ name }) => name));
  const named = new Set<string>();
  // Federation tags the AST nodes it blames with their subgraph; gql strips source locations,
  // so there are no line numbers to report.
  for (const node of error.nodes ?? []) {
    const subgraph = (node as { subgraph?: unknown }).subgraph;
    if (typeof subgraph === 'string') named.add(subgraph);
  }
  // Not every error carries tagged nodes; their messages say `[name] …` or `subgraph(s) "a" and "b"`.
  for (const [, prefix, quoted] of error.message.matchAll(/^\[([^\]]+)\]|"([^"]+)"/g)) {
    const name = prefix ?? quoted;
    if (name !== undefined && known.has(name)) named.add(name);
  }
  const code = error.extensions['code'];
  return {
    code: typeof code === 'string' ? code : 'UNKNOWN',
    message: error.message,
    subgraphs: [...named].sort(),
  };
}

export function formatCompositionProblems(problems: readonly CompositionProblem[]): string {
  const lines = [`✖ Supergraph composition failed with ${problems.length} error(s):`];
  for (const problem of problems) {
    const where =
      problem.subgraphs.length > 0 ? ` (subgraphs: ${problem.subgraphs.join(', ')})` : '';
    lines.push(`  ${problem.code}${where}`, `    ${problem.message}`);
  }
  lines.push(
    'Fix the subgraph SDL in subgraphs/<name>/src/graphql/schema.ts and run the command again.',
  );
  return lines.join('\n');
}
