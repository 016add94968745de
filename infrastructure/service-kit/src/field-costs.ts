import {
  Kind,
  parse,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type FieldDefinitionNode,
} from 'graphql';

/**
 * What a schema says one field costs, in the words of the `@cost` and
 * `@listSize` directives (federation 2.9's cost spec).
 */
export interface FieldCost {
  /** `@cost(weight:)`: what the field itself costs instead of 1. */
  readonly weight?: number;
  /** `@listSize(assumedSize:)`: the list size when no slicing argument says. */
  readonly assumedSize?: number;
  /** `@listSize(slicingArguments:)`: arguments whose value is the list size (the largest given). */
  readonly slicingArguments?: readonly string[];
  /** `@listSize(sizedFields:)`: child fields the size applies to (a connection's `edges`), not the field itself. */
  readonly sizedFields?: readonly string[];
}

/** Field costs by `Type.field`. */
export type FieldCosts = ReadonlyMap<string, FieldCost>;

const argumentsOf = (directive: ConstDirectiveNode): Record<string, unknown> =>
  Object.fromEntries(
    (directive.arguments ?? []).map((argument) => [
      argument.name.value,
      valueFromASTUntyped(argument.value),
    ]),
  );

const numberOrUndefined = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;

const namesOrUndefined = (value: unknown) =>
  Array.isArray(value) && value.every((name) => typeof name === 'string')
    ? (value as string[])
    : undefined;

const costOf = (field: FieldDefinitionNode): FieldCost | undefined => {
  let cost: FieldCost | undefined;
  for (const directive of field.directives ?? []) {
    const values = argumentsOf(directive);
    if (directive.name.value === 'cost') {
      cost = { ...cost, weight: numberOrUndefined(values.weight) };
    } else if (directive.name.value === 'listSize') {
      cost = {
        ...cost,
        assumedSize: numberOrUndefined(values.assumedSize),
        slicingArguments: namesOrUndefined(values.slicingArguments),
        sizedFields: namesOrUndefined(values.sizedFields),
      };
    }
  }
  return cost;
};

/**
 * The `@cost` and `@listSize` directives on the fields of a schema's SDL (a
 * subgraph's, or a supergraph, where composition keeps them), by `Type.field`.
 */
export const fieldCostsOf = (sdl: string): FieldCosts => {
  const costs = new Map<string, FieldCost>();
  for (const definition of parse(sdl).definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) {
      continue;
    }
    for (const field of definition.fields ?? []) {
      const cost = costOf(field);
      if (cost) costs.set(`${definition.name.value}.${field.name.value}`, cost);
    }
  }
  return costs;
};
