import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gql } from 'graphql-tag';
import { chooseBaseRef } from '../../src/schema/base-supergraph.js';
import { checkComposition, formatCompositionProblems } from '../../src/schema/check-composition.js';
import {
  findBreakingChanges,
  formatApiSchemaDiff,
} from '../../src/schema/find-breaking-changes.js';
import { generateSchemaFiles } from '../../src/schema/generate-schema-files.js';
import { loadSubgraphs, SubgraphLoadError } from '../../src/schema/load-subgraphs.js';
import {
  findStaleFiles,
  formatStaleFiles,
  writeSchemaFiles,
} from '../../src/schema/schema-files.js';
import type { LoadedSubgraph } from '../../src/schema/load-subgraphs.js';
import type { SchemaFiles } from '../../src/schema/schema-files.js';
import { subgraphs as shop } from './fixtures/shop.js';
import { subgraphs as shopConflicting } from './fixtures/shop-conflicting.js';
import { fixtureSource } from './fixtures/source.js';

const federation =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';

function products(fields: string, url = 'http://127.0.0.1:5001/graphql'): LoadedSubgraph {
  return {
    name: 'products',
    url,
    typeDefs: gql`
      ${federation}
      type Product @key(fields: "id") {
        id: ID!
        ${fields}
      }
      type Query {
        products: [Product!]!
      }
    `,
  };
}

function supergraphOf(...subgraphs: LoadedSubgraph[]): string {
  const outcome = checkComposition(subgraphs);
  if (!outcome.ok) throw new Error(formatCompositionProblems(outcome.problems));
  return outcome.supergraphSdl;
}

async function generated(sources = shop): Promise<SchemaFiles> {
  const generation = await generateSchemaFiles(sources);
  if (!generation.ok) throw new Error(formatCompositionProblems(generation.problems));
  return generation.files;
}

describe('loadSubgraphs', () => {
  it('imports typeDefs from each schema module', async () => {
    const loaded = await loadSubgraphs(shop);
    expect(loaded.map(({ name, url }) => ({ name, url }))).toEqual([
      { name: 'products', url: 'http://127.0.0.1:5001/graphql' },
      { name: 'reviews', url: 'http://127.0.0.1:5002/graphql' },
    ]);
    expect(loaded[0]?.typeDefs.kind).toBe('Document');
  });

  it('names the subgraph and the file when the schema module is missing', async () => {
    const missing = fixtureSource('ghost', 'does-not-exist', 5009);
    await expect(loadSubgraphs([missing])).rejects.toThrow(SubgraphLoadError);
    await expect(loadSubgraphs([missing])).rejects.toThrow(
      /Subgraph "ghost": .*does-not-exist\.ts does not exist/,
    );
  });

  it('rejects a module that does not export typeDefs as a DocumentNode', async () => {
    await expect(loadSubgraphs([fixtureSource('odd', 'not-a-schema', 5009)])).rejects.toThrow(
      /must export `typeDefs` as a GraphQL DocumentNode/,
    );
  });
});

describe('checkComposition', () => {
  it('composes compatible subgraphs into a supergraph with their URLs', async () => {
    const outcome = checkComposition(await loadSubgraphs(shop));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.supergraphSdl).toContain(
      'PRODUCTS @join__graph(name: "products", url: "http://127.0.0.1:5001/graphql")',
    );
    expect(outcome.supergraphSdl).toContain('reviews: [Review!]!');
  });

  it('reports a field whose type conflicts across subgraphs, with its code and subgraphs', async () => {
    const outcome = checkComposition(await loadSubgraphs(shopConflicting));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    const mismatch = outcome.problems.find((problem) => problem.code === 'FIELD_TYPE_MISMATCH');
    expect(mismatch?.message).toMatch(
      /Type of field "Product.price" is incompatible across subgraphs/,
    );
    expect(mismatch?.subgraphs).toEqual(['inventory', 'products']);
    const report = formatCompositionProblems(outcome.problems);
    expect(report).toMatch(/^✖ Supergraph composition failed/);
    expect(report).toContain('FIELD_TYPE_MISMATCH (subgraphs: inventory, products)');
  });

  it('attributes an invalid subgraph SDL to its subgraph', () => {
    const broken: LoadedSubgraph = {
      name: 'broken',
      url: 'http://127.0.0.1:5009/graphql',
      typeDefs: gql`
        type Query {
          missing: Missing
        }
      `,
    };
    const outcome = checkComposition([products('name: String!'), broken]);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toContainEqual(
      expect.objectContaining({ code: 'INVALID_GRAPHQL', subgraphs: ['broken'] }),
    );
  });
});

describe('schema files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'schema-files-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one SDL per subgraph, keeping federation directives, and the supergraph', async () => {
    await writeSchemaFiles(await generated(), dir);
    expect((await readdir(dir)).sort()).toEqual([
      'products.graphql',
      'reviews.graphql',
      'supergraph.graphql',
    ]);
    const productsSdl = await readFile(join(dir, 'products.graphql'), 'utf8');
    expect(productsSdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7"');
    expect(productsSdl).toMatch(/type Product\s+@key\(fields: "id"\)/);
    expect(await readFile(join(dir, 'supergraph.graphql'), 'utf8')).toContain('@join__graph');
  });

  it('finds nothing stale right after writing', async () => {
    const files = await generated();
    await writeSchemaFiles(files, dir);
    expect(await findStaleFiles(files, dir)).toEqual([]);
  });

  it('ignores CRLF line endings from a Windows checkout', async () => {
    const files = await generated();
    await writeSchemaFiles(files, dir);
    const file = join(dir, 'reviews.graphql');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/\n/g, '\r\n'));
    expect(await findStaleFiles(files, dir)).toEqual([]);
  });

  it('reports an edited, a missing and an unexpected file', async () => {
    const files = await generated();
    await writeSchemaFiles(files, dir);
    const edited = join(dir, 'products.graphql');
    await writeFile(
      edited,
      (await readFile(edited, 'utf8')).replace('price: String!', 'price: Float!'),
    );
    await rm(join(dir, 'supergraph.graphql'));
    await writeFile(join(dir, 'legacy.graphql'), 'type Query { old: String }\n');

    const stale = await findStaleFiles(files, dir);
    expect(stale).toEqual([
      { file: 'products.graphql', reason: 'outdated' },
      { file: 'supergraph.graphql', reason: 'missing' },
      { file: 'legacy.graphql', reason: 'unexpected' },
    ]);
    const report = formatStaleFiles(stale, dir);
    expect(report).toContain(
      `${join(dir, 'products.graphql')}: differs from what the subgraph code produces`,
    );
    expect(report).toContain('Run `npm run schema`');
  });

  it('regenerating removes files no subgraph produces', async () => {
    await writeFile(join(dir, 'legacy.graphql'), 'type Query { old: String }\n');
    const files = await generated();
    await writeSchemaFiles(files, dir);
    expect(await findStaleFiles(files, dir)).toEqual([]);
  });
});

describe('findBreakingChanges', () => {
  const base = supergraphOf(products('name: String!\nprice: String!'));

  it('fails on a removed field', async () => {
    const result = await findBreakingChanges(base, supergraphOf(products('name: String!')));
    expect(result.breaking).toEqual([
      expect.objectContaining({
        type: 'FIELD_REMOVED',
        path: 'Product.price',
        message: "Field 'price' was removed from object type 'Product'",
      }),
    ]);
    expect(formatApiSchemaDiff(result, 'main')).toMatch(
      /✖ 1 breaking change\(s\) in the API schema against main:\n {2}- Field 'price' was removed from object type 'Product' {2}\[Product.price\]/,
    );
  });

  it('fails on a changed field type', async () => {
    const result = await findBreakingChanges(
      base,
      supergraphOf(products('name: String!\nprice: Int!')),
    );
    expect(result.breaking).toEqual([
      expect.objectContaining({ type: 'FIELD_TYPE_CHANGED', path: 'Product.price' }),
    ]);
  });

  it('passes an added field and lists it as safe', async () => {
    const result = await findBreakingChanges(
      base,
      supergraphOf(products('name: String!\nprice: String!\ndescription: String')),
    );
    expect(result.breaking).toEqual([]);
    expect(result.safe).toEqual([
      expect.objectContaining({ type: 'FIELD_ADDED', path: 'Product.description' }),
    ]);
    expect(formatApiSchemaDiff(result, 'main')).toMatch(/^✔ No breaking changes/);
  });

  it('lists a dangerous change without failing', async () => {
    const withStatus = (values: string) =>
      supergraphOf({
        ...products('name: String!\nstatus: Status!'),
        typeDefs: gql`
          ${federation}
          enum Status { ${values} }
          type Product @key(fields: "id") { id: ID! status: Status! }
          type Query { products: [Product!]! }
        `,
      });
    const result = await findBreakingChanges(withStatus('ACTIVE'), withStatus('ACTIVE RETIRED'));
    expect(result.breaking).toEqual([]);
    expect(result.dangerous).toEqual([expect.objectContaining({ type: 'ENUM_VALUE_ADDED' })]);
    expect(formatApiSchemaDiff(result, 'main')).toContain(
      'Dangerous changes (listed, not failing):',
    );
  });

  it('sees no change when only federation internals differ (subgraph URL)', async () => {
    const moved = supergraphOf(
      products('name: String!\nprice: String!', 'http://products:8080/graphql'),
    );
    expect(moved).not.toEqual(base);
    expect(await findBreakingChanges(base, moved)).toEqual({
      breaking: [],
      dangerous: [],
      safe: [],
    });
  });
});

describe('chooseBaseRef', () => {
  it('prefers --base, then SCHEMA_BASE_REF, then origin/main', () => {
    expect(chooseBaseRef('v1', 'release')).toEqual({ ref: 'v1', explicit: true });
    expect(chooseBaseRef(undefined, 'release')).toEqual({ ref: 'release', explicit: true });
    expect(chooseBaseRef(undefined, '')).toEqual({ ref: 'origin/main', explicit: false });
  });
});
