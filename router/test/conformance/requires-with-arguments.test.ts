import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { startFederatedGraph, type FederatedGraph } from '../support/federated-graph.js';

/**
 * `analytics` computes a portfolio's most traded symbol from its last three trades
 * (`@requires(fields: "trades(last: 3) { symbol }")`), the symbols coming from
 * `ledger`. A client asking for that and for `trades(last: 1)` got three trades
 * from the stock planner, which kept one `trades` per fetch (ADR 0026).
 */
const trades = [
  { id: 't1', portfolioId: 'p1', symbol: 'AAPL' },
  { id: 't2', portfolioId: 'p1', symbol: 'MSFT' },
  { id: 't3', portfolioId: 'p1', symbol: 'MSFT' },
  { id: 't4', portfolioId: 'p1', symbol: 'AAPL' },
  { id: 't5', portfolioId: 'p2', symbol: 'BTC' },
];

const ledger = {
  name: 'ledger',
  typeDefs: parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query {
      portfolios: [Portfolio!]!
    }
    type Portfolio @key(fields: "id") {
      id: ID!
    }
    type Trade @key(fields: "id") {
      id: ID!
      symbol: String!
    }
  `),
  resolvers: {
    Query: { portfolios: () => [{ id: 'p1' }, { id: 'p2' }] },
    Trade: {
      __resolveReference: ({ id }: { id: string }) => trades.find((trade) => trade.id === id),
    },
  },
};

const lastTrades = (portfolioId: string, last: number) =>
  trades
    .filter((trade) => trade.portfolioId === portfolioId)
    .slice(-last)
    .map(({ id }) => ({ id }));

const analytics = {
  name: 'analytics',
  typeDefs: parse(`
    extend schema
      @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
    type Portfolio @key(fields: "id") {
      id: ID!
      trades(last: Int!): [Trade!]!
      "The symbol traded most often in the last three trades."
      topSymbol: String @requires(fields: "trades(last: 3) { symbol }")
    }
    type Trade @key(fields: "id") {
      id: ID!
      symbol: String! @external
    }
  `),
  resolvers: {
    Portfolio: {
      trades: ({ id }: { id: string }, { last }: { last: number }) => lastTrades(id, last),
      topSymbol: ({ trades: recent }: { trades: { symbol: string }[] }) => {
        const counts = new Map<string, number>();
        for (const { symbol } of recent) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
        return [...counts].sort(([, a], [, b]) => b - a)[0]?.[0] ?? null;
      },
    },
  },
};

describe('a field required with arguments that the client also asks for with others', () => {
  let graph: FederatedGraph;

  beforeAll(async () => {
    graph = await startFederatedGraph([ledger, analytics]);
  });

  afterAll(async () => {
    await graph?.stop();
  });

  const expected = {
    data: {
      portfolios: [
        { topSymbol: 'MSFT', trades: [{ id: 't4' }] },
        { topSymbol: 'BTC', trades: [{ id: 't5' }] },
      ],
    },
  };

  it('answers the client with its own arguments, and the required field with the others', async () => {
    const { body } = await graph.query('{ portfolios { topSymbol trades(last: 1) { id } } }');

    expect(body).toEqual(expected);
  });

  it('does so with the arguments in variables and the field in fragments', async () => {
    const { body } = await graph.query(
      `query ($last: Int = 1) { portfolios { topSymbol ...Recent ...AlsoRecent } }
       fragment Recent on Portfolio { trades(last: $last) { id } }
       fragment AlsoRecent on Portfolio { trades(last: $last) { id } }`,
    );

    expect(body).toEqual(expected);
  });

  it('keeps a client alias as the client wrote it', async () => {
    const { body } = await graph.query('{ portfolios { latest: trades(last: 1) { id } } }');

    expect(body).toEqual({
      data: { portfolios: [{ latest: [{ id: 't4' }] }, { latest: [{ id: 't5' }] }] },
    });
  });
});
