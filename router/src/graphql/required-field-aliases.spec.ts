import { describe, expect, it } from '@jest/globals';
import { GraphQLError, parse, print } from 'graphql';
import {
  aliasClientSelections,
  fieldsRequiredWithArguments,
  restoreClientKeys,
} from './required-field-aliases.js';

const supergraph = `
  type Portfolio @join__type(graph: ANALYTICS, key: "id") {
    id: ID!
    topSymbol: String @join__field(graph: ANALYTICS, requires: "trades(last: 3) { symbol }")
    base: String @join__field(graph: ANALYTICS, requires: "baseAsset")
  }
`;

describe('required field aliases', () => {
  it('given a supergraph, names the fields a @requires selects with arguments', () => {
    expect([...fieldsRequiredWithArguments(supergraph)]).toEqual(['trades']);
  });

  it('given a client selection of such a field, aliases it unless the client did', () => {
    const source = '{ portfolios { trades(last: 1) { id } latest: trades(last: 2) { id } } }';

    const { document, aliases } = aliasClientSelections(parse(source), source, new Set(['trades']));

    expect(print(document)).toContain('trades__asked: trades(last: 1)');
    expect(print(document)).toContain('latest: trades(last: 2)');
    expect([...aliases]).toEqual([['trades__asked', 'trades']]);
  });

  it('given a document already using the mark, leaves it as it is', () => {
    const source = '{ portfolios { trades__asked: id trades(last: 1) { id } } }';
    const document = parse(source);

    expect(aliasClientSelections(document, source, new Set(['trades'])).document).toBe(document);
  });

  it('given the answer to the aliased document, gives back the client keys and error paths', () => {
    const aliases = new Map([['trades__asked', 'trades']]);
    const error = new GraphQLError('ledger is down', {
      path: ['portfolios', 0, 'trades__asked', 0, 'id'],
    });

    const restored = restoreClientKeys(
      {
        data: { portfolios: [{ trades__asked: [{ id: 't4' }], topSymbol: 'MSFT' }] },
        errors: [error],
      },
      aliases,
    );

    expect(restored.data).toEqual({ portfolios: [{ trades: [{ id: 't4' }], topSymbol: 'MSFT' }] });
    expect(restored.errors?.[0]?.path).toEqual(['portfolios', 0, 'trades', 0, 'id']);
  });
});
