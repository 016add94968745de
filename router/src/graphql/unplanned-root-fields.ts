import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import type { FetchNode, PlanNode, QueryPlan, SubscriptionNode } from '@apollo/query-planner';
import {
  GraphQLError,
  Kind,
  parse,
  type DirectiveNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

type OperationContext = Parameters<Experimental_DidResolveQueryPlanCallback>[0]['operationContext'];

export const QUERY_PLANNING_FAILED = 'QUERY_PLANNING_FAILED';

/** A selection a literal `@skip(if: true)` or `@include(if: false)` removes before planning. */
const removedByLiteral = (directives: readonly DirectiveNode[] | undefined) =>
  directives?.some((directive) => {
    const condition = directive.arguments?.find((argument) => argument.name.value === 'if')?.value;
    if (condition?.kind !== Kind.BOOLEAN) return false;
    return directive.name.value === 'skip' ? condition.value : !condition.value;
  }) === true;

/** The response keys a root selection set asks for, fragments expanded; `__typename` and introspection aside. */
const rootResponseKeys = (
  selectionSet: SelectionSetNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode | undefined>>,
  keys = new Set<string>(),
): Set<string> => {
  for (const selection of selectionSet.selections) {
    if (removedByLiteral(selection.directives)) continue;
    if (selection.kind === Kind.FIELD) {
      if (!selection.name.value.startsWith('__')) {
        keys.add(selection.alias?.value ?? selection.name.value);
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      rootResponseKeys(selection.selectionSet, fragments, keys);
    } else {
      const fragment = fragments[selection.name.value];
      if (fragment) rootResponseKeys(fragment.selectionSet, fragments, keys);
    }
  }
  return keys;
};

/** The fetches that start at the root: every fetch not nested in a Flatten (those resolve entities). */
function* rootFetches(node: PlanNode | SubscriptionNode | undefined): Generator<FetchNode> {
  if (!node) return;
  switch (node.kind) {
    case 'Fetch':
      if (!node.requires) yield node;
      return;
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) yield* rootFetches(child);
      return;
    case 'Condition':
      yield* rootFetches(node.ifClause);
      yield* rootFetches(node.elseClause);
      return;
    case 'Defer':
      yield* rootFetches(node.primary.node);
      for (const deferred of node.deferred) yield* rootFetches(deferred.node);
      return;
    case 'Subscription':
      yield* rootFetches(node.primary);
      return;
    case 'Flatten':
      return;
  }
}

const fetchedRootKeys = (plan: QueryPlan): Set<string> => {
  const keys = new Set<string>();
  for (const fetch of rootFetches(plan.node)) {
    const document = fetch.operationDocumentNode ?? parse(fetch.operation);
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION)
        fragments[definition.name.value] = definition;
    }
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) {
        rootResponseKeys(definition.selectionSet, fragments, keys);
      }
    }
  }
  return keys;
};

/** Root fields the operation asks for that no fetch of its plan asks any subgraph for. */
export const unplannedRootFields = (plan: QueryPlan, operation: OperationContext): string[] => {
  const fetched = fetchedRootKeys(plan);
  return [...rootResponseKeys(operation.operation.selectionSet, operation.fragments)].filter(
    (key) => !fetched.has(key),
  );
};

/**
 * Refuses an operation whose plan leaves out a root field it asks for.
 * `@apollo/query-planner` drops a root field when no subgraph can resolve the
 * selection under it (say, a field only an `@interfaceObject` with
 * `resolvable: false` declares), and the gateway then answers `null` without
 * an error, as if the data did not exist. The client gets QUERY_PLANNING_FAILED
 * instead, before any subgraph is called (ADR 0026). Plans are cached by the
 * gateway, so each plan is checked once.
 */
export const refuseUnplannedRootFields = (): Experimental_DidResolveQueryPlanCallback => {
  const checked = new WeakMap<QueryPlan, string[]>();
  return ({ queryPlan, operationContext }) => {
    let unplanned = checked.get(queryPlan);
    if (!unplanned) {
      unplanned = unplannedRootFields(queryPlan, operationContext);
      checked.set(queryPlan, unplanned);
    }
    if (unplanned.length > 0) {
      throw new GraphQLError(
        `No subgraph can resolve ${unplanned.map((key) => `"${key}"`).join(', ')} with the fields asked for under it.`,
        { extensions: { code: QUERY_PLANNING_FAILED, http: { status: 400 } } },
      );
    }
  };
};
