import {
  GraphQLError,
  Kind,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';

/** Bounds on one operation's shape, checked before the gateway plans anything. */
export interface QueryLimits {
  /** Deepest nesting of fields, e.g. `{ a { b } }` has depth 2. */
  readonly maxDepth: number;
  /** Aliased fields, the usual way to multiply the work of one cheap query. */
  readonly maxAliases: number;
  /** Field selections with fragments expanded: a coarse measure of the work asked for. */
  readonly maxFields: number;
}

export const defaultQueryLimits: QueryLimits = { maxDepth: 15, maxAliases: 30, maxFields: 1000 };

interface Cost {
  readonly depth: number;
  readonly aliases: number;
  readonly fields: number;
}

const NONE: Cost = { depth: 0, aliases: 0, fields: 0 };

/**
 * One validation rule for all three limits, so each operation is walked once.
 * Fragment costs are memoised: a "fragment bomb" (fragments spreading each
 * other many times) is measured in linear time and still counted in full.
 */
export const queryLimitsRule =
  (limits: QueryLimits): ValidationRule =>
  (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        fragments.set(definition.name.value, definition);
      }
    }
    const fragmentCosts = new Map<string, Cost>();
    const visiting = new Set<string>();

    const fragmentCost = (name: string): Cost => {
      const known = fragmentCosts.get(name);
      if (known) return known;
      const fragment = fragments.get(name);
      // Unknown and cyclic fragments are reported by graphql's own rules.
      if (!fragment || visiting.has(name)) return NONE;
      visiting.add(name);
      const cost = selectionCost(fragment.selectionSet);
      visiting.delete(name);
      fragmentCosts.set(name, cost);
      return cost;
    };

    const selectionCost = (selectionSet: SelectionSetNode): Cost => {
      let depth = 0;
      let aliases = 0;
      let fields = 0;
      for (const selection of selectionSet.selections) {
        const inner =
          selection.kind === Kind.FIELD
            ? selection.selectionSet
              ? selectionCost(selection.selectionSet)
              : NONE
            : selection.kind === Kind.INLINE_FRAGMENT
              ? selectionCost(selection.selectionSet)
              : fragmentCost(selection.name.value);
        const isField = selection.kind === Kind.FIELD;
        depth = Math.max(depth, inner.depth + (isField ? 1 : 0));
        aliases += inner.aliases + (isField && selection.alias ? 1 : 0);
        fields += inner.fields + (isField ? 1 : 0);
      }
      return { depth, aliases, fields };
    };

    return {
      OperationDefinition(operation) {
        const cost = selectionCost(operation.selectionSet);
        const name = operation.name ? `Operation "${operation.name.value}"` : 'The operation';
        const problems = [
          cost.depth > limits.maxDepth &&
            `${name} nests fields ${cost.depth} levels deep; the limit is ${limits.maxDepth}. Split it into smaller queries.`,
          cost.aliases > limits.maxAliases &&
            `${name} uses ${cost.aliases} aliases; the limit is ${limits.maxAliases}. Ask for fewer aliased fields per request.`,
          cost.fields > limits.maxFields &&
            `${name} selects ${cost.fields} fields (fragments expanded); the limit is ${limits.maxFields}. Ask for fewer fields per request.`,
        ];
        for (const message of problems) {
          if (message) context.reportError(new GraphQLError(message, { nodes: [operation] }));
        }
      },
    };
  };
