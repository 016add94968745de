import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Kind, parse, type ConstValueNode } from 'graphql';

/** The committed supergraph, composed from `schema/<subgraph>.graphql` by `npm run schema`. */
export const SUPERGRAPH_PATH = fileURLToPath(
  new URL('../../../schema/supergraph.graphql', import.meta.url),
);

export const readSupergraph = async (path = SUPERGRAPH_PATH): Promise<string> => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(
      `Cannot read the supergraph at ${path} (${(error as Error).message}). Run "npm run schema" to compose it.`,
      { cause: error },
    );
  }
};

export interface SubgraphEndpoint {
  readonly name: string;
  readonly url: string;
}

const stringArgument = (value: ConstValueNode | undefined) =>
  value?.kind === Kind.STRING ? value.value : undefined;

/** The subgraphs a supergraph names, as declared by its `join__Graph` enum. */
export const subgraphsOf = (supergraphSdl: string): SubgraphEndpoint[] => {
  const graphEnum = parse(supergraphSdl).definitions.find(
    (definition) =>
      definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph',
  );
  if (graphEnum?.kind !== Kind.ENUM_TYPE_DEFINITION) {
    throw new Error('The supergraph has no join__Graph enum: is it a composed supergraph?');
  }
  return (graphEnum.values ?? []).flatMap((value) => {
    const directive = value.directives?.find((d) => d.name.value === 'join__graph');
    const argument = (name: string) =>
      stringArgument(directive?.arguments?.find((a) => a.name.value === name)?.value);
    const name = argument('name');
    return name ? [{ name, url: argument('url') ?? '' }] : [];
  });
};

/**
 * Where the router reaches each subgraph: the configured URL when there is one
 * (tests and the launcher start subgraphs on free ports), else the supergraph's.
 */
export const resolveSubgraphUrls = (
  supergraphSdl: string,
  overrides: Readonly<Record<string, string | undefined>>,
): { endpoints: SubgraphEndpoint[]; unknownOverrides: string[] } => {
  const endpoints = subgraphsOf(supergraphSdl).map(({ name, url }) => ({
    name,
    url: overrides[name] ?? url,
  }));
  const missing = endpoints.filter((endpoint) => !endpoint.url).map((endpoint) => endpoint.name);
  if (missing.length > 0) {
    throw new Error(`No URL for subgraph(s) ${missing.join(', ')}: set it in the configuration.`);
  }
  const known = new Set(endpoints.map((endpoint) => endpoint.name));
  const unknownOverrides = Object.keys(overrides).filter(
    (name) => overrides[name] && !known.has(name),
  );
  return { endpoints, unknownOverrides };
};
