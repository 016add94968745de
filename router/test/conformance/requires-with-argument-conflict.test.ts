import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { startFederatedGraph, type FederatedGraph } from '../support/federated-graph.js';

/**
 * `risk` values a lot of an instrument in dollars and in euros, each from the
 * instrument's price in that currency (`@requires(fields: "price(currency: \"USD\") lotSize")`
 * and the same with `"EUR"`), the prices coming from `pricing`. The stock planner
 * fetched one of the two prices and valued both lots with it (ADR 0026).
 */
const instruments = [
  { symbol: 'AAPL', lotSize: 100, prices: { USD: 19_000, EUR: 17_500 } },
  { symbol: 'MSFT', lotSize: 10, prices: { USD: 41_000, EUR: 37_800 } },
];

type Instrument = (typeof instruments)[number];
type Currency = keyof Instrument['prices'];

const pricing = {
  name: 'pricing',
  typeDefs: parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query {
      instruments: [Instrument!]!
    }
    type Instrument @key(fields: "symbol") {
      symbol: ID!
      lotSize: Int!
      "Last price in minor units of the currency."
      price(currency: String!): Int!
    }
  `),
  resolvers: {
    Query: { instruments: () => instruments },
    Instrument: {
      __resolveReference: ({ symbol }: { symbol: string }) =>
        instruments.find((instrument) => instrument.symbol === symbol),
      price: ({ prices }: Instrument, { currency }: { currency: Currency }) => prices[currency],
    },
  },
};

const lotValue = ({ price, lotSize }: { price: number; lotSize: number }) => price * lotSize;

const risk = {
  name: 'risk',
  typeDefs: parse(`
    extend schema
      @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
    type Instrument @key(fields: "symbol") {
      symbol: ID!
      lotSize: Int! @external
      price(currency: String!): Int! @external
      "Value of one lot in US cents."
      lotValueUSD: Int! @requires(fields: "price(currency: \\"USD\\") lotSize")
      "Value of one lot in euro cents."
      lotValueEUR: Int! @requires(fields: "price(currency: \\"EUR\\") lotSize")
    }
  `),
  resolvers: {
    Instrument: { lotValueUSD: lotValue, lotValueEUR: lotValue },
  },
};

describe('two fields requiring the same field with different arguments', () => {
  let graph: FederatedGraph;

  beforeAll(async () => {
    graph = await startFederatedGraph([pricing, risk]);
  });

  afterAll(async () => {
    await graph?.stop();
  });

  it('values each lot from the price in its own currency', async () => {
    const { body } = await graph.query('{ instruments { symbol lotValueUSD lotValueEUR } }');

    expect(body).toEqual({
      data: {
        instruments: [
          { symbol: 'AAPL', lotValueUSD: 1_900_000, lotValueEUR: 1_750_000 },
          { symbol: 'MSFT', lotValueUSD: 410_000, lotValueEUR: 378_000 },
        ],
      },
    });
  });

  it('answers the prices the client asks for beside them, in fragments too', async () => {
    const { body } = await graph.query(
      `{ instruments { ...Values price(currency: "EUR") } }
       fragment Values on Instrument { lotValueEUR lotValueUSD }`,
    );

    expect(body).toEqual({
      data: {
        instruments: [
          { lotValueEUR: 1_750_000, lotValueUSD: 1_900_000, price: 17_500 },
          { lotValueEUR: 378_000, lotValueUSD: 410_000, price: 37_800 },
        ],
      },
    });
  });

  it('values one lot alone as before', async () => {
    const { body } = await graph.query('{ instruments { lotValueEUR } }');

    expect(body).toEqual({
      data: { instruments: [{ lotValueEUR: 1_750_000 }, { lotValueEUR: 378_000 }] },
    });
  });
});
