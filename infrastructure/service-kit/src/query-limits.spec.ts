import { describe, it, expect } from '@jest/globals';
import { buildSchema, getOperationAST, parse } from 'graphql';
import { defaultQueryLimits, measureOperation, queryLimitProblems } from './query-limits.js';
import { fieldCostsOf } from './field-costs.js';

const schema = buildSchema(`
  type Node { id: ID!, name: String, child: Node, children(first: Int = 10): [Node!]! }
  type Candle { open: String, close: String }
  type Level { price: String, quantity: String }
  type Book { bids: [Level!]!, asks: [Level!]! }
  type Query { node: Node, klines(limit: Int = 500): [Candle!]!, book(depth: Int = 20): Book! }
  type Subscription { ticks(limit: Int): [Candle!]! }
`);

const limits = { maxDepth: 4, maxAliases: 2, maxFields: 20, maxCost: 5_000 };

const problemsOf = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('the test query has no single operation');
  return queryLimitProblems(
    operation,
    measureOperation(schema, document, operation, variables),
    limits,
  );
};

describe('query limits', () => {
  it('accepts an operation within every limit', () => {
    expect(problemsOf('{ node { a: id b: name child { child { id } } } }')).toEqual([]);
  });

  it('rejects an operation nested deeper than the limit, counting through fragments', () => {
    expect(
      problemsOf(`
        query Deep { node { child { ...Two } } }
        fragment Two on Node { child { ... on Node { child { id } } } }
      `),
    ).toEqual([
      'Operation "Deep" nests fields 5 levels deep; the limit is 4. Split it into smaller queries.',
    ]);
  });

  it('rejects too many aliases', () => {
    expect(problemsOf('{ a: node { id } b: node { id } c: node { id } }')).toEqual([
      'The operation uses 3 aliases; the limit is 2. Ask for fewer aliased fields per request.',
    ]);
  });

  it('counts every expansion of a fragment (a fragment bomb)', () => {
    expect(
      problemsOf(`
        { node { ...F4 } }
        fragment F4 on Node { ...F3 ...F3 }
        fragment F3 on Node { ...F2 ...F2 }
        fragment F2 on Node { ...F1 ...F1 }
        fragment F1 on Node { ...F0 ...F0 }
        fragment F0 on Node { id name }
      `),
    ).toEqual([
      'The operation selects 33 fields (fragments expanded); the limit is 20. Ask for fewer fields per request.',
    ]);
  });

  it('multiplies a selection by the list size its field asks for', () => {
    expect(problemsOf('{ a: klines(limit: 2000) { open close } }')).toEqual([]);
    expect(
      problemsOf('{ a: klines(limit: 2000) { open close } b: klines(limit: 1000) { open close } }'),
    ).toEqual([
      'The operation may return 6002 fields (list sizes multiplied out); the limit is 5000. Ask for fewer items (first/limit) or fewer fields per request.',
    ]);
  });

  it('takes the list size from a variable, the operation default, or the argument default', () => {
    const query = 'query K($n: Int) { klines(limit: $n) { open close open2: open close2: close } }';
    expect(problemsOf(query, { n: 10 })).toEqual([]);
    expect(problemsOf(query, { n: 10_000 })).toHaveLength(1);
    // Left out, the schema's default of 500 applies: 1 + 500 × 4.
    expect(problemsOf(query)).toEqual([]);
    expect(
      problemsOf('query K($n: Int = 2000) { klines(limit: $n) { open close open2: open } }'),
    ).toHaveLength(1);
    // Nested lists multiply: 10 × 10 by default, 100 × 100 when asked.
    expect(problemsOf('{ node { children { children { id name } } } }')).toEqual([]);
    expect(
      problemsOf('{ node { children(first: 100) { children(first: 100) { id name } } } }'),
    ).toHaveLength(1);
  });

  it("counts an order book's depth like a list size: levels per side", () => {
    // 1 + 1,000 × 6 (each side and its two fields) is over 5,000; 1 + 100 × 6 is not.
    expect(
      problemsOf('{ book(depth: 1000) { bids { price quantity } asks { price quantity } } }'),
    ).toHaveLength(1);
    expect(
      problemsOf('{ book(depth: 100) { bids { price quantity } asks { price quantity } } }'),
    ).toEqual([]);
  });

  it('applies to subscriptions like any other operation', () => {
    expect(problemsOf('subscription { ticks(limit: 3000) { open close } }')).toHaveLength(1);
  });

  it('rejects, with the default limits, the 30-alias amplification query', () => {
    const document = parse(
      `{ ${Array.from({ length: 30 }, (_, i) => `k${i}: klines(limit: 1000) { open close }`).join(' ')} }`,
    );
    const operation = getOperationAST(document)!;
    const measure = measureOperation(schema, document, operation);
    expect(queryLimitProblems(operation, measure, defaultQueryLimits)).toEqual([
      expect.stringContaining('may return 60030 fields'),
    ]);
  });
});

describe('query cost from @cost and @listSize', () => {
  const sdl = `
    directive @cost(weight: Int!) on FIELD_DEFINITION
    directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!]) on FIELD_DEFINITION
    type Edge { node: Item! }
    type ItemConnection { edges: [Edge!]! total: Int! }
    type Item { id: ID! }
    type Query {
      items(first: Int = 10): ItemConnection! @listSize(slicingArguments: ["first"], sizedFields: ["edges"])
      pairs: [Item!]! @listSize(assumedSize: 50)
      search(text: String!, top: Int = 5): [Item!]! @cost(weight: 20) @listSize(slicingArguments: ["top"])
    }
  `;
  const costed = buildSchema(sdl);
  const fieldCosts = fieldCostsOf(sdl);
  const costOf = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    return measureOperation(costed, document, getOperationAST(document)!, variables, fieldCosts)
      .cost;
  };

  it('reads the directives of every field that has them', () => {
    expect(fieldCosts.get('Query.items')).toEqual({
      slicingArguments: ['first'],
      sizedFields: ['edges'],
    });
    expect(fieldCosts.get('Query.search')).toEqual({ weight: 20, slicingArguments: ['top'] });
    expect(fieldCosts.has('Item.id')).toBe(false);
  });

  it('multiplies only the sized child of a connection by the slicing argument', () => {
    // items 1 + total 1 + edges 1 + 100 × (node 1 + id 1), as `klines(limit: 100) { … }` would
    expect(costOf('{ items(first: 100) { total edges { node { id } } } }')).toBe(203);
    expect(
      costOf('query Q($n: Int) { items(first: $n) { edges { node { id } } } }', { n: 7 }),
    ).toBe(1 + 1 + 7 * 2);
  });

  it('sizes a connection through its fragments too', () => {
    expect(
      costOf(
        '{ items(first: 100) { ...Page } } fragment Page on ItemConnection { edges { node { id } } }',
      ),
    ).toBe(1 + 1 + 100 * 2);
  });

  it('assumes the declared size of a list without slicing arguments', () => {
    expect(costOf('{ pairs { id } }')).toBe(1 + 50 * 1);
  });

  it('charges a field its weight instead of 1', () => {
    expect(costOf('{ search(text: "btc", top: 3) { id } }')).toBe(20 + 3 * 1);
  });

  it('keeps the first/last/limit rule where a schema declares nothing', () => {
    const document = parse('{ node { children(first: 3) { id } } }');
    expect(
      measureOperation(schema, document, getOperationAST(document)!, {}, fieldCosts).cost,
    ).toBe(1 + 1 + 3);
  });
});
