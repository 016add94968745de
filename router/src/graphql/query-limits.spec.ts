import { describe, it, expect } from '@jest/globals';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { queryLimitsRule } from './query-limits.js';

const schema = buildSchema(`
  type Node { id: ID!, name: String, child: Node, children: [Node!]! }
  type Query { node: Node }
`);

const limits = { maxDepth: 4, maxAliases: 2, maxFields: 20 };

const errorsOf = (query: string) =>
  validate(schema, parse(query), [...specifiedRules, queryLimitsRule(limits)]).map(
    (error) => error.message,
  );

describe('query limits', () => {
  it('accepts an operation within every limit', () => {
    expect(errorsOf('{ node { a: id b: name child { child { id } } } }')).toEqual([]);
  });

  it('rejects an operation nested deeper than the limit, counting through fragments', () => {
    const errors = errorsOf(`
      query Deep { node { child { ...Two } } }
      fragment Two on Node { child { ... on Node { child { id } } } }
    `);
    expect(errors).toEqual([
      'Operation "Deep" nests fields 5 levels deep; the limit is 4. Split it into smaller queries.',
    ]);
  });

  it('rejects too many aliases', () => {
    expect(errorsOf('{ a: node { id } b: node { id } c: node { id } }')).toEqual([
      'The operation uses 3 aliases; the limit is 2. Ask for fewer aliased fields per request.',
    ]);
  });

  it('counts every expansion of a fragment (a fragment bomb)', () => {
    const errors = errorsOf(`
      { node { ...F4 } }
      fragment F4 on Node { ...F3 ...F3 }
      fragment F3 on Node { ...F2 ...F2 }
      fragment F2 on Node { ...F1 ...F1 }
      fragment F1 on Node { ...F0 ...F0 }
      fragment F0 on Node { id name }
    `);
    expect(errors).toEqual([
      'The operation selects 33 fields (fragments expanded); the limit is 20. Ask for fewer fields per request.',
    ]);
  });
});
