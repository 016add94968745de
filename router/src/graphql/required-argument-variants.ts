import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import type {
  FetchDataRewrite,
  FetchNode,
  FlattenNode,
  PlanNode,
  QueryPlan,
  QueryPlanSelectionNode,
} from '@apollo/query-planner';
import {
  Kind,
  parse,
  print,
  stripIgnoredCharacters,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

/** A leaf field that two `@requires` of one type select with different arguments. */
interface ConflictingLeaf {
  /** Field names from the entity down to the leaf. */
  readonly path: readonly string[];
  /** The arguments of each variant, in the order first met. */
  readonly variants: readonly (readonly ArgumentNode[])[];
}

interface TypeConflicts {
  readonly leaves: ReadonlyMap<string, ConflictingLeaf>;
  /** For each requiring field, the variant it needs of each conflicting leaf it selects. */
  readonly variantsOf: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** Conflicts by subgraph name and type name (`subgraph/Type`). */
export type RequirementConflicts = ReadonlyMap<string, TypeConflicts>;

/** Marks the aliases under which the variants of a required field are fetched. */
const VARIANT_MARK = '__required_';
const variantAlias = (leaf: string, variant: number) => `${leaf}${VARIANT_MARK}${variant}`;

const stringArgument = (directive: { arguments?: readonly ArgumentNode[] }, name: string) => {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING || value?.kind === Kind.ENUM ? value.value : undefined;
};

const printArguments = (args: readonly ArgumentNode[] | undefined) =>
  [...(args ?? [])]
    .sort((a, b) => a.name.value.localeCompare(b.name.value))
    .map((argument) => `${argument.name.value}:${print(argument.value)}`)
    .join(',');

interface SelectedPath {
  readonly arguments: readonly ArgumentNode[];
  readonly printed: string;
  readonly leaf: boolean;
}

/** Every field path a `@requires` selects (fragments aside), with the arguments it gives. */
const selectedPaths = (
  selectionSet: SelectionSetNode,
  prefix: readonly string[] = [],
  paths = new Map<string, SelectedPath & { path: readonly string[] }>(),
) => {
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const path = [...prefix, selection.name.value];
    paths.set(path.join('.'), {
      path,
      arguments: selection.arguments ?? [],
      printed: printArguments(selection.arguments),
      leaf: !selection.selectionSet,
    });
    if (selection.selectionSet) selectedPaths(selection.selectionSet, path, paths);
  }
  return paths;
};

const conflictsOfType = (
  requirements: readonly { field: string; requires: SelectionSetNode }[],
): TypeConflicts | undefined => {
  const pathsOf = requirements.map(({ field, requires }) => ({
    field,
    paths: selectedPaths(requires),
  }));
  const variantsByPath = new Map<string, { path: readonly string[]; variants: SelectedPath[] }>();
  for (const { paths } of pathsOf) {
    for (const [key, selected] of paths) {
      const entry = variantsByPath.get(key) ?? { path: selected.path, variants: [] };
      if (!entry.variants.some((variant) => variant.printed === selected.printed)) {
        entry.variants.push(selected);
      }
      variantsByPath.set(key, entry);
    }
  }
  const conflicting = [...variantsByPath].filter(([, { variants }]) => variants.length > 1);
  // A field with a selection of its own under different arguments would need that
  // selection fetched twice, which the planner may have spread over several
  // subgraphs: left to the stock plan.
  if (
    conflicting.length === 0 ||
    conflicting.some(([, { variants }]) => variants.some((v) => !v.leaf))
  ) {
    return undefined;
  }
  const leaves = new Map(
    conflicting.map(([key, { path, variants }]) => [
      key,
      { path, variants: variants.map((variant) => variant.arguments) },
    ]),
  );
  const variantsOf = new Map(
    pathsOf.map(({ field, paths }) => [
      field,
      new Map(
        conflicting.flatMap(([key, { variants }]) => {
          const selected = paths.get(key);
          return selected
            ? [
                [
                  key,
                  variants.findIndex((variant) => variant.printed === selected.printed),
                ] as const,
              ]
            : [];
        }),
      ),
    ]),
  );
  return { leaves, variantsOf };
};

/**
 * The leaves that two `@requires` of the same type, in the same subgraph, select
 * with different arguments (`price(currency: "USD")` and `price(currency: "EUR")`).
 */
export const requirementConflicts = (supergraphSdl: string): RequirementConflicts => {
  const document = parse(supergraphSdl);
  const subgraphOf = new Map<string, string>();
  const requirements = new Map<string, { field: string; requires: SelectionSetNode }[]>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph') {
      for (const value of definition.values ?? []) {
        const graph = value.directives?.find((d) => d.name.value === 'join__graph');
        const name = graph && stringArgument(graph, 'name');
        if (name) subgraphOf.set(value.name.value, name);
      }
    }
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) {
      continue;
    }
    for (const field of definition.fields ?? []) {
      for (const directive of field.directives ?? []) {
        if (directive.name.value !== 'join__field') continue;
        const graph = stringArgument(directive, 'graph');
        const requires = stringArgument(directive, 'requires');
        if (!graph || !requires) continue;
        const key = `${graph}/${definition.name.value}`;
        const operation = parse(`{ ${requires} }`).definitions[0] as OperationDefinitionNode;
        requirements.set(key, [
          ...(requirements.get(key) ?? []),
          { field: field.name.value, requires: operation.selectionSet },
        ]);
      }
    }
  }
  const conflicts = new Map<string, TypeConflicts>();
  for (const [key, ofType] of requirements) {
    const typeConflicts = ofType.length > 1 ? conflictsOfType(ofType) : undefined;
    const [graph = '', type] = key.split('/');
    if (typeConflicts) conflicts.set(`${subgraphOf.get(graph) ?? graph}/${type}`, typeConflicts);
  }
  return conflicts;
};

/** The variants of a leaf to fetch, under their aliases, beside the leaf wherever an earlier fetch reads it. */
interface VariantsToFetch {
  /** Response names from the root of the answer to the leaf's parent, lists and type conditions left out. */
  readonly parentPath: readonly string[];
  readonly leaf: string;
  readonly variants: readonly { alias: string; arguments: readonly ArgumentNode[] }[];
}

interface Split {
  readonly replacement: PlanNode;
  readonly fetchVariants: readonly VariantsToFetch[];
}

const fieldNamesOf = (path: readonly (string | number)[]) =>
  path.filter(
    (element): element is string =>
      typeof element === 'string' && element !== '@' && !element.startsWith('... on '),
  );

const operationOf = (document: DocumentNode) =>
  document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  );

const entitiesField = (operation: OperationDefinitionNode) => {
  const [entities] = operation.selectionSet.selections;
  return entities?.kind === Kind.FIELD && entities.name.value === '_entities'
    ? entities
    : undefined;
};

const variablesUsedBy = (document: DocumentNode) => {
  const used = new Set<string>();
  visit(document, {
    VariableDefinition: () => false,
    Variable(variable) {
      used.add(variable.name.value);
    },
  });
  return used;
};

/** The operation without the variable definitions it no longer uses (a subgraph refuses those). */
const withoutUnusedVariables = (document: DocumentNode): DocumentNode => {
  const used = variablesUsedBy(document);
  return visit(document, {
    VariableDefinition: (definition) =>
      used.has(definition.variable.name.value) ? undefined : null,
  });
};

/** The requirement with each chosen leaf read under its variant's alias. */
const aliasRequirement = (
  selections: readonly QueryPlanSelectionNode[],
  aliases: ReadonlyMap<string, string>,
  prefix: readonly string[] = [],
): QueryPlanSelectionNode[] =>
  selections.map((selection) => {
    if (selection.kind === 'InlineFragment') {
      return { ...selection, selections: aliasRequirement(selection.selections, aliases, prefix) };
    }
    const path = [...prefix, selection.name];
    const alias = aliases.get(path.join('.'));
    if (alias) return { ...selection, alias };
    return selection.selections
      ? { ...selection, selections: aliasRequirement(selection.selections, aliases, path) }
      : selection;
  });

/** Groups the fields an entity fetch resolves so that no group needs two variants of one leaf. */
const groupByVariants = (selections: readonly SelectionNode[], conflicts: TypeConflicts) => {
  const groups: { variants: Map<string, number>; selections: SelectionNode[] }[] = [];
  const free: SelectionNode[] = [];
  for (const selection of selections) {
    const needed =
      selection.kind === Kind.FIELD ? conflicts.variantsOf.get(selection.name.value) : undefined;
    if (!needed || needed.size === 0) {
      free.push(selection);
      continue;
    }
    const group = groups.find(({ variants }) =>
      [...needed].every(([leaf, variant]) => (variants.get(leaf) ?? variant) === variant),
    );
    if (group) {
      for (const [leaf, variant] of needed) group.variants.set(leaf, variant);
      group.selections.push(selection);
    } else {
      groups.push({ variants: new Map(needed), selections: [selection] });
    }
  }
  groups[0]?.selections.unshift(...free);
  return groups;
};

/**
 * An entity fetch resolving fields that need different variants of one required
 * leaf, as one fetch per set of variants (each representation carries one value of
 * the leaf), each reading its variant under an alias and sending it under the
 * leaf's name; undefined when the fetch has no such fields.
 */
const splitEntityFetch = (
  flatten: FlattenNode,
  fetch: FetchNode,
  conflicts: RequirementConflicts,
): Split | undefined => {
  const { requires } = fetch;
  const [required] = requires ?? [];
  if (requires?.length !== 1 || required?.kind !== 'InlineFragment') return undefined;
  const type = required.typeCondition;
  const typeConflicts = type && conflicts.get(`${fetch.serviceName}/${type}`);
  if (!typeConflicts) return undefined;
  const document = fetch.operationDocumentNode ?? parse(fetch.operation);
  const operation = operationOf(document);
  const entities = operation && entitiesField(operation);
  const [fragment, ...others] = entities?.selectionSet?.selections ?? [];
  if (fragment?.kind !== Kind.INLINE_FRAGMENT || others.length > 0) return undefined;
  // A fragment may hold fields of several groups: such a fetch keeps its stock plan.
  if (fragment.selectionSet.selections.some((selection) => selection.kind !== Kind.FIELD)) {
    return undefined;
  }
  const groups = groupByVariants(fragment.selectionSet.selections, typeConflicts);
  if (groups.length < 2) return undefined;

  const fetches = groups.map(({ variants, selections }) => {
    const aliases = new Map(
      [...variants].map(([key, variant]) => [
        key,
        variantAlias(typeConflicts.leaves.get(key)?.path.at(-1) ?? key, variant),
      ]),
    );
    const splitDocument = withoutUnusedVariables(
      visit(document, {
        InlineFragment: (node) =>
          node === fragment
            ? { ...node, selectionSet: { ...node.selectionSet, selections } }
            : undefined,
      }),
    );
    const renames: FetchDataRewrite[] = [...variants.keys()].map((key) => {
      const path = typeConflicts.leaves.get(key)?.path ?? [key];
      return {
        kind: 'KeyRenamer',
        path: [`... on ${type}`, ...path.slice(0, -1), aliases.get(key) ?? key],
        renameKeyTo: path.at(-1) ?? key,
      };
    });
    const used = variablesUsedBy(splitDocument);
    const splitFetch: FetchNode = {
      ...fetch,
      operation: stripIgnoredCharacters(print(splitDocument)),
      ...(fetch.operationDocumentNode ? { operationDocumentNode: splitDocument } : {}),
      variableUsages: fetch.variableUsages?.filter((name) => used.has(name)),
      requires: aliasRequirement(requires, aliases),
      inputRewrites: [...(fetch.inputRewrites ?? []), ...renames],
    };
    return { ...flatten, node: splitFetch } satisfies FlattenNode;
  });

  const entityPath = fieldNamesOf(flatten.path);
  const fetchVariants = [...typeConflicts.leaves].flatMap(([key, { path, variants }]) => {
    const used = [...new Set(groups.flatMap((group) => group.variants.get(key) ?? []))];
    const leaf = path.at(-1);
    if (used.length === 0 || !leaf) return [];
    return [
      {
        parentPath: [...entityPath, ...path.slice(0, -1)],
        leaf,
        variants: used.map((variant) => ({
          alias: variantAlias(leaf, variant),
          arguments: variants[variant] ?? [],
        })),
      },
    ];
  });
  return { replacement: { kind: 'Parallel', nodes: fetches }, fetchVariants };
};

const responseName = (field: FieldNode) => field.alias?.value ?? field.name.value;

/**
 * The selection set with the variants beside each unaliased selection of the leaf
 * reached by `remaining`; `landed` tells whether there was one.
 */
const addVariants = (
  selectionSet: SelectionSetNode,
  remaining: readonly string[],
  wanted: VariantsToFetch,
  fragments: Map<string, FragmentDefinitionNode>,
  landed: { value: boolean },
): SelectionSetNode => {
  const selections = selectionSet.selections.flatMap((selection): SelectionNode[] => {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      return [
        {
          ...selection,
          selectionSet: addVariants(selection.selectionSet, remaining, wanted, fragments, landed),
        },
      ];
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments.get(selection.name.value);
      if (fragment) {
        fragments.set(fragment.name.value, {
          ...fragment,
          selectionSet: addVariants(fragment.selectionSet, remaining, wanted, fragments, landed),
        });
      }
      return [selection];
    }
    const [next, ...rest] = remaining;
    if (next === undefined) return [selection];
    if (responseName(selection) !== next || !selection.selectionSet) return [selection];
    return [
      {
        ...selection,
        selectionSet: addVariants(selection.selectionSet, rest, wanted, fragments, landed),
      },
    ];
  });
  if (remaining.length > 0) return { ...selectionSet, selections };
  const reads = selectionSet.selections.some(
    (selection) =>
      selection.kind === Kind.FIELD && !selection.alias && selection.name.value === wanted.leaf,
  );
  if (!reads) return { ...selectionSet, selections };
  landed.value = true;
  const present = new Set(
    selections.flatMap((selection) =>
      selection.kind === Kind.FIELD ? [responseName(selection)] : [],
    ),
  );
  const added = wanted.variants
    .filter(({ alias }) => !present.has(alias))
    .map(({ alias, arguments: args }): FieldNode => ({
      kind: Kind.FIELD,
      alias: { kind: Kind.NAME, value: alias },
      name: { kind: Kind.NAME, value: wanted.leaf },
      arguments: args,
    }));
  return { ...selectionSet, selections: [...selections, ...added] };
};

/** The fetch reading each variant beside the leaf it reads at the leaf's place, if it does. */
const fetchWithVariants = (
  fetch: FetchNode,
  fetchPath: readonly string[],
  wanted: readonly VariantsToFetch[],
  landed: Set<VariantsToFetch>,
): FetchNode => {
  const reaching = wanted.filter(
    ({ parentPath }) =>
      parentPath.length >= fetchPath.length && fetchPath.every((name, i) => parentPath[i] === name),
  );
  if (reaching.length === 0) return fetch;
  let document = fetch.operationDocumentNode ?? parse(fetch.operation);
  let changed = false;
  for (const variants of reaching) {
    const operation = operationOf(document);
    if (!operation) return fetch;
    const fragments = new Map(
      document.definitions.flatMap((definition) =>
        definition.kind === Kind.FRAGMENT_DEFINITION
          ? [[definition.name.value, definition] as const]
          : [],
      ),
    );
    const entities = fetch.requires ? entitiesField(operation) : undefined;
    const root = fetch.requires ? entities?.selectionSet : operation.selectionSet;
    if (!root) continue;
    const landing = { value: false };
    const rewritten = addVariants(
      root,
      variants.parentPath.slice(fetchPath.length),
      variants,
      fragments,
      landing,
    );
    if (!landing.value) continue;
    landed.add(variants);
    changed = true;
    const selectionSet =
      entities && fetch.requires
        ? {
            ...operation.selectionSet,
            selections: [{ ...entities, selectionSet: rewritten }],
          }
        : rewritten;
    document = {
      ...document,
      definitions: document.definitions.map((definition) =>
        definition === operation
          ? { ...operation, selectionSet }
          : definition.kind === Kind.FRAGMENT_DEFINITION
            ? (fragments.get(definition.name.value) ?? definition)
            : definition,
      ),
    };
  }
  if (!changed) return fetch;
  return {
    ...fetch,
    operation: stripIgnoredCharacters(print(document)),
    ...(fetch.operationDocumentNode ? { operationDocumentNode: document } : {}),
  };
};

const mapPlan = (
  node: PlanNode,
  map: (node: PlanNode, path: readonly string[]) => PlanNode | undefined,
  path: readonly string[] = [],
): PlanNode => {
  const mapped = map(node, path);
  if (mapped) return mapped;
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return { ...node, nodes: node.nodes.map((child) => mapPlan(child, map, path)) };
    case 'Flatten':
      return { ...node, node: mapPlan(node.node, map, fieldNamesOf(node.path)) };
    case 'Condition':
      return {
        ...node,
        ...(node.ifClause ? { ifClause: mapPlan(node.ifClause, map, path) } : {}),
        ...(node.elseClause ? { elseClause: mapPlan(node.elseClause, map, path) } : {}),
      };
    default:
      return node;
  }
};

/**
 * The plan with every entity fetch whose fields need different variants of one
 * required leaf split, one fetch per variant, and the earlier fetches reading each
 * variant under an alias; the plan as it was when it has none, or when no earlier
 * fetch reads the leaf where the split fetches would look for it.
 */
export const planWithRequirementVariants = (
  node: PlanNode,
  conflicts: RequirementConflicts,
): PlanNode => {
  const splits = new Map<PlanNode, Split>();
  mapPlan(node, (candidate) => {
    if (candidate.kind !== 'Flatten' || candidate.node.kind !== 'Fetch') return undefined;
    const split = splitEntityFetch(candidate, candidate.node, conflicts);
    if (split) splits.set(candidate, split);
    return candidate;
  });
  if (splits.size === 0) return node;
  const wanted = [...splits.values()].flatMap((split) => split.fetchVariants);
  const landed = new Set<VariantsToFetch>();
  // A split fetch is not where its own leaf is read: left as it is, so it is found again below.
  const withVariants = mapPlan(node, (candidate, path) => {
    if (splits.has(candidate)) return candidate;
    return candidate.kind === 'Fetch'
      ? fetchWithVariants(candidate, path, wanted, landed)
      : undefined;
  });
  const replacements = new Map(
    [...splits].flatMap(([flatten, split]) =>
      split.fetchVariants.every((variants) => landed.has(variants))
        ? [[flatten, split.replacement] as const]
        : [],
    ),
  );
  if (replacements.size === 0) return node;
  return mapPlan(withVariants, (candidate) => replacements.get(candidate));
};

/**
 * `@apollo/query-planner` keeps one selection per response name in a fetch: when two
 * `@requires` of a type select one field with different arguments
 * (`price(currency: "USD")`, `price(currency: "EUR")`), it fetches one of them and
 * sends it to both requiring fields. Each new plan is corrected once, in place,
 * before the gateway executes it (ADR 0026).
 */
export const requirementVariantsCorrection = (supergraphSdl: string) => {
  let conflicts = requirementConflicts(supergraphSdl);
  const corrected = new WeakSet<QueryPlan>();
  const didResolveQueryPlan: Experimental_DidResolveQueryPlanCallback = ({ queryPlan }) => {
    if (conflicts.size === 0 || corrected.has(queryPlan)) return;
    corrected.add(queryPlan);
    const { node } = queryPlan;
    if (!node || node.kind === 'Subscription') return;
    // The plan is the gateway's cached one: corrected here, it is executed corrected from now on.
    queryPlan.node = planWithRequirementVariants(node, conflicts);
  };
  return {
    didResolveQueryPlan,
    /** A supergraph reloaded while serving may add or drop such requirements. */
    supergraphChanged: (sdl: string) => {
      conflicts = requirementConflicts(sdl);
    },
  };
};
