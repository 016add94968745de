import { watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, type ConstValueNode } from 'graphql';
import type { Logger } from '@simple-securities/service-kit';

/** The committed supergraph, composed from `schema/<subgraph>.graphql` by `npm run schema`. */
export const SUPERGRAPH_PATH = fileURLToPath(
  new URL('../../../schema/supergraph.graphql', import.meta.url),
);

export const readSupergraph = async (file = SUPERGRAPH_PATH): Promise<string> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(
      `Cannot read the supergraph at ${file} (${(error as Error).message}). Run "npm run schema" to compose it.`,
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

/** Quiet time after the last change to the file before it is read: editors and `npm run schema` write in several steps. */
export const SUPERGRAPH_RELOAD_DEBOUNCE_MS = 300;

/**
 * Calls `onChange` with the file's new text each time it changes. It watches
 * the file's folder rather than the file: editors and tools replace a file by
 * renaming a new one over it, which a watch on the old file would not see.
 * Events are debounced (one read per burst), and a read that finds the text
 * it last reported calls nothing.
 */
export const watchSupergraph = (
  file: string,
  options: {
    readonly initialSdl: string;
    readonly logger: Logger;
    readonly onChange: (supergraphSdl: string) => void;
    readonly debounceMs?: number;
  },
): { close(): void } => {
  const { logger, onChange, debounceMs = SUPERGRAPH_RELOAD_DEBOUNCE_MS } = options;
  const name = path.basename(file);
  let last = options.initialSdl;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reread = async () => {
    let sdl;
    try {
      sdl = await readFile(file, 'utf8');
    } catch (error) {
      logger.warn(
        { file, reason: (error as Error).message },
        'the supergraph file changed but cannot be read; the router keeps serving the previous supergraph',
      );
      return;
    }
    if (sdl === last) return;
    last = sdl;
    onChange(sdl);
  };
  const watcher = watch(path.dirname(file), (_event, changed) => {
    if (changed !== null && changed !== name) return;
    clearTimeout(timer);
    timer = setTimeout(() => void reread(), debounceMs);
  });
  watcher.on('error', (error) =>
    logger.error(
      { file, reason: error.message },
      'stopped watching the supergraph file: restart the router to pick up later changes',
    ),
  );
  logger.info(
    { file, debounceMs },
    'watching the supergraph file: changes are served without a restart',
  );
  return {
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
};
