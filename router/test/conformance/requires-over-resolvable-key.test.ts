import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { startFederatedGraph, type FederatedGraph } from '../support/federated-graph.js';

/**
 * A `@requires` field is resolved by sending its inputs back to its own subgraph
 * under one of that subgraph's keys. `desk` declares a key it cannot resolve
 * (`isin`, `resolvable: false`) before the one it can (`symbol`); the stock planner
 * took the first and `desk` got representations it could not find (ADR 0026).
 */
const instruments = new Map([
  ['AAPL', { symbol: 'AAPL', isin: 'US0378331005', name: 'Apple Inc.' }],
  ['MSFT', { symbol: 'MSFT', isin: 'US5949181045', name: 'Microsoft Corporation' }],
]);

const reference = {
  name: 'reference',
  typeDefs: parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
    type Instrument @key(fields: "symbol") {
      symbol: ID!
      name: String!
    }
  `),
  resolvers: {
    Instrument: {
      __resolveReference: ({ symbol }: { symbol: string }) => instruments.get(symbol) ?? null,
    },
  },
};

const desk = {
  name: 'desk',
  typeDefs: parse(`
    extend schema
      @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@external", "@requires"])
    type Query {
      watchlist: [Instrument!]!
    }
    type Instrument @key(fields: "isin", resolvable: false) @key(fields: "symbol") {
      symbol: ID!
      isin: ID!
      name: String! @external
      "How the desk shows the instrument; needs its name from reference."
      label: String! @requires(fields: "name")
    }
  `),
  resolvers: {
    Query: {
      watchlist: () => [...instruments.values()].map(({ symbol, isin }) => ({ symbol, isin })),
    },
    Instrument: {
      // Only by symbol: the isin key is declared unresolvable here.
      __resolveReference: ({ symbol, name }: { symbol?: string; name?: string }) => {
        const instrument = symbol ? instruments.get(symbol) : undefined;
        return instrument ? { ...instrument, name } : null;
      },
      label: ({ symbol, name }: { symbol: string; name: string }) => `${symbol} · ${name}`,
    },
  },
};

describe('a @requires field whose subgraph declares an unresolvable key first', () => {
  let graph: FederatedGraph;

  beforeAll(async () => {
    graph = await startFederatedGraph([reference, desk]);
  });

  afterAll(async () => {
    await graph?.stop();
  });

  it('is resolved through the key the subgraph can resolve', async () => {
    const { body } = await graph.query('{ watchlist { symbol name label } }');

    expect(body).toEqual({
      data: {
        watchlist: [
          { symbol: 'AAPL', name: 'Apple Inc.', label: 'AAPL · Apple Inc.' },
          { symbol: 'MSFT', name: 'Microsoft Corporation', label: 'MSFT · Microsoft Corporation' },
        ],
      },
    });
  });
});
