import { Supergraph } from '@apollo/federation-internals';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';

export interface SchemaChange {
  readonly type: string;
  readonly message: string;
  readonly path?: string;
  readonly reason?: string;
}

export interface ApiSchemaDiff {
  readonly breaking: readonly SchemaChange[];
  readonly dangerous: readonly SchemaChange[];
  readonly safe: readonly SchemaChange[];
}

/**
 * Diffs the client-facing API schemas of two supergraphs. Comparing API schemas rather than
 * supergraph SDL means moving a field between subgraphs, changing a subgraph URL or
 * adding `@inaccessible` internals is judged by what clients can actually query.
 */
export async function findBreakingChanges(
  baseSupergraphSdl: string,
  currentSupergraphSdl: string,
): Promise<ApiSchemaDiff> {
  const changes = await diff(apiSchemaOf(baseSupergraphSdl), apiSchemaOf(currentSupergraphSdl));
  const of = (level: CriticalityLevel) =>
    changes.filter((change) => change.criticality.level === level).map(toSchemaChange);
  return {
    breaking: of(CriticalityLevel.Breaking),
    dangerous: of(CriticalityLevel.Dangerous),
    safe: of(CriticalityLevel.NonBreaking),
  };
}

export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

function toSchemaChange(change: Change): SchemaChange {
  return {
    type: String(change.type),
    message: change.message,
    ...(change.path === undefined ? {} : { path: change.path }),
    ...(change.criticality.reason === undefined ? {} : { reason: change.criticality.reason }),
  };
}

export function formatApiSchemaDiff(result: ApiSchemaDiff, base: string): string {
  const list = (changes: readonly SchemaChange[], withReason: boolean) =>
    changes.flatMap(({ message, path, reason }) => [
      `  - ${message}${path === undefined ? '' : `  [${path}]`}`,
      ...(withReason && reason ? [`    ${reason}`] : []),
    ]);
  const lines =
    result.breaking.length === 0
      ? [`✔ No breaking changes in the API schema against ${base}.`]
      : [
          `✖ ${result.breaking.length} breaking change(s) in the API schema against ${base}:`,
          ...list(result.breaking, true),
        ];
  if (result.dangerous.length > 0) {
    lines.push('Dangerous changes (listed, not failing):', ...list(result.dangerous, true));
  }
  if (result.safe.length > 0) lines.push('Safe changes:', ...list(result.safe, false));
  return lines.join('\n');
}
