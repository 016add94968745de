import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  getNamedType,
  getOperationAST,
  isInterfaceType,
  isObjectType,
  valueFromAST,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { boundedText } from './bounded-text.js';
import type { FieldCost, FieldCosts } from './field-costs.js';

/** Bounds on one operation's shape and size, checked before any resolver runs. */
export interface QueryLimits {
  /** Deepest nesting of fields, e.g. `{ a { b } }` has depth 2. */
  readonly maxDepth: number;
  /** Aliased fields, the usual way to multiply the work of one cheap query. */
  readonly maxAliases: number;
  /** Field selections with fragments expanded: the size of the document. */
  readonly maxFields: number;
  /**
   * Fields the answer may hold: a field costs 1 plus its selection's cost times
   * the list size it asks for (`first`, `last` or `limit`), so
   * `klines(limit: 1000) { open close }` costs 2,001. Where the schema says
   * otherwise with `@cost` and `@listSize` (see `fieldCosts`), it is taken at its word.
   */
  readonly maxCost: number;
  /** The schema's `@cost` and `@listSize` directives (see `fieldCostsOf`); without them, the rules above. */
  readonly fieldCosts?: FieldCosts;
}

export const defaultQueryLimits: QueryLimits = {
  maxDepth: 15,
  maxAliases: 30,
  maxFields: 1000,
  maxCost: 50_000,
};

/** Arguments that say how many items a list field returns (`depth`: price levels per side). */
const LIST_SIZE_ARGUMENTS = new Set(['first', 'last', 'limit', 'depth']);

export interface OperationMeasure {
  readonly depth: number;
  readonly aliases: number;
  readonly fields: number;
  readonly cost: number;
}

const NONE: OperationMeasure = { depth: 0, aliases: 0, fields: 0, cost: 0 };

const fieldsOf = (type: GraphQLNamedType | undefined) =>
  type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields() : undefined;

/**
 * How many items `field` asks for: the largest value of its slicing arguments (a
 * literal, a variable, or the argument's default) — those `@listSize` names, else
 * `first`, `last` and `limit` — or `@listSize`'s assumed size, or 1.
 */
const listSize = (
  node: FieldNode,
  definition: GraphQLField<unknown, unknown> | undefined,
  variables: Readonly<Record<string, unknown>>,
  cost: FieldCost | undefined,
): number => {
  const slicing = cost?.slicingArguments ? new Set(cost.slicingArguments) : LIST_SIZE_ARGUMENTS;
  let size: number | undefined;
  for (const argument of definition?.args ?? []) {
    if (!slicing.has(argument.name)) continue;
    const given = node.arguments?.find((a) => a.name.value === argument.name);
    const value =
      (given ? valueFromAST(given.value, argument.type, variables) : undefined) ??
      argument.defaultValue;
    if (typeof value === 'number' && Number.isFinite(value) && value > (size ?? 0)) size = value;
  }
  return Math.max(1, size ?? cost?.assumedSize ?? 1);
};

/** A list size a field hands down to the children its `@listSize(sizedFields:)` names. */
interface SizedChildren {
  readonly fields: ReadonlySet<string>;
  readonly size: number;
}

/**
 * Measures one operation in a single walk. Fragment measures are memoised, so a
 * "fragment bomb" (fragments spreading each other many times) is measured in
 * linear time and still counted in full.
 */
export const measureOperation = (
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> = {},
  fieldCosts: FieldCosts = new Map(),
): OperationMeasure => {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  // Defaults declared on the operation apply where the request leaves a variable out.
  const values: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (name in variables) values[name] = variables[name];
    else if (definition.defaultValue) values[name] = valueFromASTUntyped(definition.defaultValue);
  }
  const fragmentMeasures = new Map<string, OperationMeasure>();
  const visiting = new Set<string>();

  const fragmentMeasure = (name: string, sized: SizedChildren | undefined): OperationMeasure => {
    // A fragment inside a sized connection costs more than the same fragment elsewhere.
    const key = sized ? `${name}\u0000${sized.size}\u0000${[...sized.fields].join(',')}` : name;
    const known = fragmentMeasures.get(key);
    if (known) return known;
    const fragment = fragments.get(name);
    // Unknown and cyclic fragments are reported by graphql's own validation.
    if (!fragment || visiting.has(name)) return NONE;
    visiting.add(name);
    const measure = selectionMeasure(
      fragment.selectionSet,
      schema.getType(fragment.typeCondition.name.value),
      sized,
    );
    visiting.delete(name);
    fragmentMeasures.set(key, measure);
    return measure;
  };

  const selectionMeasure = (
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
    sized?: SizedChildren,
  ): OperationMeasure => {
    let depth = 0;
    let aliases = 0;
    let fields = 0;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const definition = fieldsOf(parent)?.[selection.name.value];
        const declared = parent
          ? fieldCosts.get(`${parent.name}.${selection.name.value}`)
          : undefined;
        const size = sized?.fields.has(selection.name.value)
          ? sized.size
          : listSize(selection, definition, values, declared);
        const sizesChildren = declared?.sizedFields !== undefined;
        const inner = selection.selectionSet
          ? selectionMeasure(
              selection.selectionSet,
              definition ? getNamedType(definition.type) : undefined,
              sizesChildren ? { fields: new Set(declared.sizedFields), size } : undefined,
            )
          : NONE;
        depth = Math.max(depth, inner.depth + 1);
        aliases += inner.aliases + (selection.alias ? 1 : 0);
        fields += inner.fields + 1;
        cost += (declared?.weight ?? 1) + (sizesChildren ? 1 : size) * inner.cost;
      } else {
        const inner =
          selection.kind === Kind.INLINE_FRAGMENT
            ? selectionMeasure(
                selection.selectionSet,
                selection.typeCondition
                  ? schema.getType(selection.typeCondition.name.value)
                  : parent,
                sized,
              )
            : fragmentMeasure(selection.name.value, sized);
        depth = Math.max(depth, inner.depth);
        aliases += inner.aliases;
        fields += inner.fields;
        cost += inner.cost;
      }
    }
    return { depth, aliases, fields, cost };
  };

  return selectionMeasure(
    operation.selectionSet,
    schema.getRootType(operation.operation) ?? undefined,
  );
};

/** What is over the limits in `measure`, in words a client can act on; empty when nothing is. */
export const queryLimitProblems = (
  operation: OperationDefinitionNode,
  measure: OperationMeasure,
  limits: QueryLimits,
): string[] => {
  const name = operation.name ? `Operation "${operation.name.value}"` : 'The operation';
  const problems = [
    measure.depth > limits.maxDepth &&
      `${name} nests fields ${measure.depth} levels deep; the limit is ${limits.maxDepth}. Split it into smaller queries.`,
    measure.aliases > limits.maxAliases &&
      `${name} uses ${measure.aliases} aliases; the limit is ${limits.maxAliases}. Ask for fewer aliased fields per request.`,
    measure.fields > limits.maxFields &&
      `${name} selects ${measure.fields} fields (fragments expanded); the limit is ${limits.maxFields}. Ask for fewer fields per request.`,
    measure.cost > limits.maxCost &&
      `${name} may return ${measure.cost} fields (list sizes multiplied out); the limit is ${limits.maxCost}. Ask for fewer items (first/limit) or fewer fields per request.`,
  ];
  return problems.filter((problem): problem is string => typeof problem === 'string');
};

/** The error for an operation over the limits: a client error (HTTP 400), never a server one. */
export const queryLimitError = (problems: readonly string[]): GraphQLError =>
  new GraphQLError(problems.join(' '), {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
  });

/** The error for a document in which `operationName` picks no operation. */
export const operationNotFoundError = (operationName: string | null | undefined): GraphQLError =>
  new GraphQLError(
    operationName
      ? `The document has no operation named "${boundedText(operationName, 100)}".`
      : 'The document has several operations: say which one to run with operationName.',
    { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
  );

/**
 * Applies the limits to every operation an Apollo server runs, with the request's
 * variables (a `first: $n` costs what `n` asks for). It also answers a request whose
 * operation cannot be picked from its document as the client error it is.
 */
export const queryLimitsPlugin = <Context extends BaseContext>(
  limits: QueryLimits,
): ApolloServerPlugin<Context> => ({
  async requestDidStart() {
    return {
      async didResolveOperation({ document, operation, request, schema }) {
        const picked = operation ?? getOperationAST(document, request.operationName);
        if (!picked) throw operationNotFoundError(request.operationName);
        const measure = measureOperation(
          schema,
          document,
          picked,
          request.variables ?? {},
          limits.fieldCosts,
        );
        const problems = queryLimitProblems(picked, measure, limits);
        if (problems.length > 0) throw queryLimitError(problems);
      },
    };
  },
});
