import { Kind, parse, print, visit, type DirectiveNode } from 'graphql';

const JOIN_TYPE = 'join__type';

const isUnresolvableKey = (directive: DirectiveNode) =>
  directive.name.value === JOIN_TYPE &&
  directive.arguments?.some(
    (argument) =>
      argument.name.value === 'resolvable' &&
      argument.value.kind === Kind.BOOLEAN &&
      !argument.value.value,
  ) === true;

/**
 * The supergraph with each type's `@key(resolvable: false)` declarations moved
 * after its resolvable ones. Key order carries no meaning in federation, but
 * `@apollo/query-planner` does not read `resolvable` when it picks the key by
 * which a `@requires` field's inputs are sent back to its own subgraph: it takes
 * the first key whose fields that subgraph owns. When that key is declared
 * `resolvable: false`, the plan sends the subgraph a representation it cannot
 * resolve and the field comes back null (ADR 0026).
 */
export const resolvableKeysFirst = (supergraphSdl: string): string => {
  if (!supergraphSdl.includes('resolvable: false')) return supergraphSdl;
  let reordered = false;
  const document = visit(parse(supergraphSdl), {
    enter(node) {
      if (!('directives' in node) || !node.directives?.some(isUnresolvableKey)) return undefined;
      const directives: readonly DirectiveNode[] = node.directives;
      const resolvableFirst = [
        ...directives.filter((directive) => !isUnresolvableKey(directive)),
        ...directives.filter(isUnresolvableKey),
      ];
      if (resolvableFirst.every((directive, index) => directive === directives[index])) {
        return undefined;
      }
      reordered = true;
      return { ...node, directives: resolvableFirst };
    },
  });
  return reordered ? print(document) : supergraphSdl;
};
