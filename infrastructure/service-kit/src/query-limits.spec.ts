import { describe, it, expect } from '@jest/globals';
import { buildSchema, getOperationAST, parse } from 'graphql';
import { defaultQueryLimits, measureOperation, queryLimitProblems } from './query-limits.js';

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
