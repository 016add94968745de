import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { startFederatedGraph, type FederatedGraph } from '../support/federated-graph.js';

/**
 * `Account` is an interface in `accounts`, and `risk` adds `riskScore` to it as an
 * `@interfaceObject` it cannot resolve by key. So no subgraph can answer
 * `primaryAccount { riskScore }`: the stock planner dropped the field from its
 * plan and the client got `primaryAccount: null` as if there were no account
 * (ADR 0026).
 */
let accountCalls = 0;

const accounts = {
  name: 'accounts',
  typeDefs: parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    interface Account @key(fields: "id") {
      id: ID!
    }
    type Query {
      primaryAccount: Account
    }
  `),
  resolvers: {
    Query: {
      primaryAccount: () => {
        accountCalls += 1;
        return { __typename: 'Account', id: 'acc-1' };
      },
    },
  },
};

const risk = {
  name: 'risk',
  typeDefs: parse(`
    extend schema
      @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])
    type Account @key(fields: "id", resolvable: false) @interfaceObject {
      id: ID!
      riskScore: Int
    }
    type Query {
      riskiestAccount: Account
    }
  `),
  resolvers: {
    Query: { riskiestAccount: () => ({ id: 'acc-7', riskScore: 87 }) },
  },
};

describe('a root field no subgraph can resolve with the selection asked for', () => {
  let graph: FederatedGraph;

  beforeAll(async () => {
    graph = await startFederatedGraph([accounts, risk]);
  });

  afterAll(async () => {
    await graph?.stop();
  });

  it('is refused with QUERY_PLANNING_FAILED and no data, before any subgraph is called', async () => {
    const callsBefore = accountCalls;

    const { status, body } = await graph.query('{ primaryAccount { riskScore } }');

    expect(status).toBe(200);
    expect(body).toEqual({
      errors: [
        {
          message: 'No subgraph can resolve "primaryAccount" with the fields asked for under it.',
          extensions: { code: 'QUERY_PLANNING_FAILED' },
        },
      ],
    });
    expect(accountCalls).toBe(callsBefore);
  });

  it('is a request error, HTTP 400, to a client that reads application/graphql-response+json', async () => {
    const { status, body } = await graph.query('{ primaryAccount { riskScore } }', {
      accept: 'application/graphql-response+json',
    });

    expect(status).toBe(400);
    expect(body).not.toHaveProperty('data');
  });

  it('is refused even beside fields that could be served', async () => {
    const { body } = await graph.query(
      '{ riskiestAccount { id } ...Primary } fragment Primary on Query { main: primaryAccount { riskScore } }',
    );

    expect(body).toEqual({
      errors: [expect.objectContaining({ extensions: { code: 'QUERY_PLANNING_FAILED' } })],
    });
  });

  it('does not stop the fields a subgraph can resolve', async () => {
    const { body } = await graph.query('{ riskiestAccount { id riskScore } }');

    expect(body).toEqual({ data: { riskiestAccount: { id: 'acc-7', riskScore: 87 } } });
  });

  it('does not stop a root field skipped by a literal condition', async () => {
    const { body } = await graph.query(
      '{ riskiestAccount { id } primaryAccount @skip(if: true) { riskScore } }',
    );

    expect(body).toEqual({ data: { riskiestAccount: { id: 'acc-7' } } });
  });
});
