import { describe, expect, it } from '@jest/globals';
import { parse, print } from 'graphql';
import { resolvableKeysFirst } from './resolvable-keys-first.js';

const joinTypesOf = (sdl: string, typeName: string) => {
  const type = parse(sdl).definitions.find(
    (definition) => 'name' in definition && definition.name?.value === typeName,
  );
  return (type && 'directives' in type ? (type.directives ?? []) : [])
    .filter((directive) => directive.name.value === 'join__type')
    .map((directive) => print(directive));
};

describe('resolvableKeysFirst', () => {
  it('given keys a subgraph cannot resolve declared first, moves them after the ones it can', () => {
    const supergraph = `
      type Instrument
        @join__type(graph: DESK, key: "isin", resolvable: false)
        @join__type(graph: DESK, key: "symbol")
        @join__type(graph: REFERENCE, key: "symbol", resolvable: true)
      { symbol: ID! }
    `;

    expect(joinTypesOf(resolvableKeysFirst(supergraph), 'Instrument')).toEqual([
      '@join__type(graph: DESK, key: "symbol")',
      '@join__type(graph: REFERENCE, key: "symbol", resolvable: true)',
      '@join__type(graph: DESK, key: "isin", resolvable: false)',
    ]);
  });

  it('given no unresolvable key out of place, returns the supergraph as it was', () => {
    const ordered = `type Instrument @join__type(graph: DESK, key: "symbol") @join__type(graph: DESK, key: "isin", resolvable: false) { symbol: ID! }`;
    const withoutUnresolvableKeys = `type Instrument @join__type(graph: DESK, key: "symbol") { symbol: ID! }`;

    expect(resolvableKeysFirst(ordered)).toBe(ordered);
    expect(resolvableKeysFirst(withoutUnresolvableKeys)).toBe(withoutUnresolvableKeys);
  });
});
