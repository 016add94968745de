import { describe, it, expect } from '@jest/globals';
import { resolveSubgraphUrls, subgraphsOf } from './supergraph.js';

const supergraph = `
  directive @join__graph(name: String!, url: String!) on ENUM_VALUE
  enum join__Graph {
    CORE @join__graph(name: "core", url: "http://127.0.0.1:4001/graphql")
    STOCK @join__graph(name: "stock", url: "http://127.0.0.1:4003/graphql")
  }
  type Query { ok: Boolean }
`;

describe('supergraph subgraphs', () => {
  it('lists the subgraphs the supergraph joins', () => {
    expect(subgraphsOf(supergraph)).toEqual([
      { name: 'core', url: 'http://127.0.0.1:4001/graphql' },
      { name: 'stock', url: 'http://127.0.0.1:4003/graphql' },
    ]);
  });

  it('prefers configured URLs and reports overrides for subgraphs it does not have', () => {
    const { endpoints, unknownOverrides } = resolveSubgraphUrls(supergraph, {
      core: 'http://127.0.0.1:5555/graphql',
      crypto: 'http://127.0.0.1:4002/graphql',
    });
    expect(endpoints).toEqual([
      { name: 'core', url: 'http://127.0.0.1:5555/graphql' },
      { name: 'stock', url: 'http://127.0.0.1:4003/graphql' },
    ]);
    expect(unknownOverrides).toEqual(['crypto']);
  });

  it('refuses SDL that is not a supergraph', () => {
    expect(() => subgraphsOf('type Query { ok: Boolean }')).toThrow(/join__Graph/);
  });
});
