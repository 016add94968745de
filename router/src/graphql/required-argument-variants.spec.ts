import { describe, expect, it } from '@jest/globals';
import { composeServices } from '@apollo/composition';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';
import { parse } from 'graphql';
import { planWithRequirementVariants, requirementConflicts } from './required-argument-variants.js';

const pricing = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { instruments: [Instrument!]! }
  type Instrument @key(fields: "symbol") {
    symbol: ID!
    lotSize: Int!
    price(currency: String!): Int!
  }
`;

const riskWith = (requirements: string) => `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
  type Instrument @key(fields: "symbol") {
    symbol: ID!
    lotSize: Int! @external
    price(currency: String!): Int! @external
    ${requirements}
  }
`;

const lotValues = `
  lotValueUSD: Int! @requires(fields: "price(currency: \\"USD\\") lotSize")
  lotValueEUR: Int! @requires(fields: "price(currency: \\"EUR\\") lotSize")
`;

const supergraphOf = (risk: string, pricingSdl = pricing) => {
  const composed = composeServices([
    { name: 'pricing', typeDefs: parse(pricingSdl), url: 'http://pricing' },
    { name: 'risk', typeDefs: parse(risk), url: 'http://risk' },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  return composed.supergraphSdl;
};

const planOf = (supergraphSdl: string, query: string) => {
  const supergraph = Supergraph.build(supergraphSdl);
  const operation = operationFromDocument(supergraph.apiSchema(), parse(query));
  return new QueryPlanner(supergraph).buildQueryPlan(operation).node as PlanNode;
};

const fetchesOf = (node: PlanNode): FetchNode[] => {
  switch (node.kind) {
    case 'Fetch':
      return [node];
    case 'Flatten':
      return fetchesOf(node.node);
    case 'Sequence':
    case 'Parallel':
      return node.nodes.flatMap(fetchesOf);
    default:
      return [];
  }
};

describe('requirementConflicts', () => {
  it('given two @requires selecting one field with different arguments, names each one’s variant', () => {
    const conflicts = requirementConflicts(supergraphOf(riskWith(lotValues)));

    const instrument = conflicts.get('risk/Instrument');
    expect([...(instrument?.leaves.keys() ?? [])]).toEqual(['price']);
    expect(instrument?.variantsOf.get('lotValueUSD')).toEqual(new Map([['price', 0]]));
    expect(instrument?.variantsOf.get('lotValueEUR')).toEqual(new Map([['price', 1]]));
  });

  it('given requirements that agree on the arguments, finds nothing to split', () => {
    const agreeing = `
      lotValueUSD: Int! @requires(fields: "price(currency: \\"USD\\") lotSize")
      spreadUSD: Int! @requires(fields: "price(currency: \\"USD\\")")
    `;

    expect(requirementConflicts(supergraphOf(riskWith(agreeing))).size).toBe(0);
  });
});

describe('planWithRequirementVariants', () => {
  it('given fields needing two prices, fetches both under aliases and resolves the fields apart', () => {
    const supergraph = supergraphOf(riskWith(lotValues));
    const planned = planOf(supergraph, '{ instruments { lotValueUSD lotValueEUR } }');

    const corrected = planWithRequirementVariants(planned, requirementConflicts(supergraph));

    const [prices, ...lotFetches] = fetchesOf(corrected);
    expect(prices?.operation).toContain('price__required_0:price(currency:"USD")');
    expect(prices?.operation).toContain('price__required_1:price(currency:"EUR")');
    expect(lotFetches.map(({ operation }) => operation.match(/lotValue\w+/g))).toEqual([
      ['lotValueUSD'],
      ['lotValueEUR'],
    ]);
    expect(lotFetches.map(({ inputRewrites }) => inputRewrites)).toEqual([
      [
        {
          kind: 'KeyRenamer',
          path: ['... on Instrument', 'price__required_0'],
          renameKeyTo: 'price',
        },
      ],
      [
        {
          kind: 'KeyRenamer',
          path: ['... on Instrument', 'price__required_1'],
          renameKeyTo: 'price',
        },
      ],
    ]);
  });

  it('given fields needing two values of a nested field, renames each where it sits', () => {
    const withIssuer = `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
      type Query { instruments: [Instrument!]! }
      type Instrument @key(fields: "symbol") { symbol: ID! issuer: Issuer! }
      type Issuer { capitalisation(currency: String!): Int! }
    `;
    const risk = `
      extend schema
        @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
      type Instrument @key(fields: "symbol") {
        symbol: ID!
        issuer: Issuer! @external
        largeCapUSD: Boolean! @requires(fields: "issuer { capitalisation(currency: \\"USD\\") }")
        largeCapEUR: Boolean! @requires(fields: "issuer { capitalisation(currency: \\"EUR\\") }")
      }
      type Issuer @external { capitalisation(currency: String!): Int! }
    `;
    const supergraph = supergraphOf(risk, withIssuer);
    const planned = planOf(supergraph, '{ instruments { largeCapUSD largeCapEUR } }');

    const corrected = planWithRequirementVariants(planned, requirementConflicts(supergraph));

    const [capitalisations, ...splitFetches] = fetchesOf(corrected);
    expect(capitalisations?.operation).toMatch(
      /issuer\{[^}]*capitalisation__required_0:capitalisation\(currency:"USD"\)/,
    );
    expect(capitalisations?.operation).toMatch(
      /issuer\{[^}]*capitalisation__required_1:capitalisation\(currency:"EUR"\)/,
    );
    expect(splitFetches.map(({ inputRewrites }) => inputRewrites?.[0]?.path)).toEqual([
      ['... on Instrument', 'issuer', 'capitalisation__required_0'],
      ['... on Instrument', 'issuer', 'capitalisation__required_1'],
    ]);
  });

  it('given fields needing one price, leaves the plan as it was', () => {
    const supergraph = supergraphOf(riskWith(lotValues));
    const planned = planOf(supergraph, '{ instruments { symbol lotValueEUR } }');

    expect(planWithRequirementVariants(planned, requirementConflicts(supergraph))).toBe(planned);
  });
});
