import { fileURLToPath } from 'node:url';

/**
 * Where a subgraph's SDL comes from and where it listens by default.
 * The schema tooling, the launcher and the router all read the subgraph list from here,
 * so adding a subgraph is one entry in `subgraphs` below.
 */
export interface SubgraphSource {
  readonly name: string;
  /** The URL written into the supergraph; the router overrides it at run time by subgraph name. */
  readonly url: string;
  readonly port: number;
  /** Absolute path of the module that exports the subgraph's SDL as `typeDefs` (a DocumentNode). */
  readonly schemaModule: string;
}

function subgraph<const Name extends string>(name: Name, port: number) {
  return {
    name,
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    // Only the schema module, never the server: loading the SDL must stay fast and free of I/O.
    schemaModule: fileURLToPath(
      new URL(`../../../subgraphs/${name}/src/graphql/schema.ts`, import.meta.url),
    ),
  } as const satisfies SubgraphSource;
}

export const subgraphs = [
  subgraph('core', 4001),
  subgraph('crypto', 4002),
  subgraph('stock', 4003),
  subgraph('notification', 4004),
] as const;

export type SubgraphName = (typeof subgraphs)[number]['name'];
