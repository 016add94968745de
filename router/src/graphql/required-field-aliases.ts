import type { ApolloGateway } from '@apollo/gateway';
import { Kind, parse, visit, type DocumentNode, type OperationDefinitionNode } from 'graphql';

type Executor = NonNullable<Awaited<ReturnType<ApolloGateway['load']>>['executor']>;
type RequestContext = Parameters<Executor>[0];
type ExecutionResult = Awaited<ReturnType<Executor>>;

/** Marks the aliases given to a client's fields; a document already using it is left alone. */
const ALIAS_MARK = '__asked';

/** Names of the fields some `@requires` of the supergraph selects with arguments. */
export const fieldsRequiredWithArguments = (supergraphSdl: string): Set<string> => {
  const names = new Set<string>();
  visit(parse(supergraphSdl), {
    Directive(directive) {
      if (directive.name.value !== 'join__field') return;
      const requires = directive.arguments?.find((argument) => argument.name.value === 'requires');
      if (requires?.value.kind !== Kind.STRING || !requires.value.value.includes('(')) return;
      visit(parse(`{ ${requires.value.value} }`), {
        Field(field) {
          if (field.arguments?.length) names.add(field.name.value);
        },
      });
    },
  });
  return names;
};

/**
 * The client's document with every unaliased selection of those fields given an
 * alias of its own, and the aliases given; the document as it was when there is
 * nothing to alias.
 */
export const aliasClientSelections = (
  document: DocumentNode,
  source: string,
  fieldNames: ReadonlySet<string>,
): { document: DocumentNode; aliases: Map<string, string> } => {
  const aliases = new Map<string, string>();
  if (fieldNames.size === 0 || source.includes(ALIAS_MARK)) return { document, aliases };
  const aliased = visit(document, {
    Field(field) {
      if (field.alias || !fieldNames.has(field.name.value)) return undefined;
      const alias = `${field.name.value}${ALIAS_MARK}`;
      aliases.set(alias, field.name.value);
      return { ...field, alias: { kind: Kind.NAME, value: alias } };
    },
  });
  return aliases.size > 0 ? { document: aliased, aliases } : { document, aliases };
};

const restoreKeys = (value: unknown, aliases: ReadonlyMap<string, string>): unknown => {
  if (Array.isArray(value)) return value.map((item) => restoreKeys(item, aliases));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      aliases.get(key) ?? key,
      restoreKeys(item, aliases),
    ]),
  );
};

/** The answer to the aliased document, as the client's own document asked for it. */
export const restoreClientKeys = (
  result: ExecutionResult,
  aliases: ReadonlyMap<string, string>,
): ExecutionResult => {
  if (aliases.size === 0) return result;
  return {
    ...result,
    ...(result.data ? { data: restoreKeys(result.data, aliases) as Record<string, unknown> } : {}),
    ...(result.errors
      ? {
          errors: result.errors.map((error) =>
            Object.assign(error, {
              path: error.path?.map((segment) =>
                typeof segment === 'string' ? (aliases.get(segment) ?? segment) : segment,
              ),
            }),
          ),
        }
      : {}),
  };
};

/**
 * `@apollo/query-planner` keeps one selection per response name in a fetch: when a
 * `@requires` selects a field with arguments (`comments(limit: 3)`) that the client
 * also asks for with others (`comments(limit: 1)`), one of the two is lost and the
 * client receives the other's data. The client's selections of such fields are
 * planned under aliases of their own and given back under their names (ADR 0026).
 */
export const aliasRequiredFieldConflicts = (
  gateway: ApolloGateway,
  supergraphSdl: string,
): Pick<ApolloGateway, 'load' | 'onSchemaLoadOrUpdate' | 'stop'> => {
  let fieldNames = fieldsRequiredWithArguments(supergraphSdl);
  // A supergraph reloaded while serving may add or drop such fields.
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    fieldNames = fieldsRequiredWithArguments(coreSupergraphSdl);
  });
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    load: async (options) => {
      const loaded = await gateway.load(options);
      const { executor } = loaded;
      if (!executor) return loaded;
      return {
        ...loaded,
        executor: async (requestContext: RequestContext) => {
          if (fieldNames.size === 0) return executor(requestContext);
          const { document, aliases } = aliasClientSelections(
            requestContext.document,
            requestContext.source,
            fieldNames,
          );
          if (aliases.size === 0) return executor(requestContext);
          const operation = document.definitions.find(
            (definition): definition is OperationDefinitionNode =>
              definition.kind === Kind.OPERATION_DEFINITION &&
              (requestContext.operationName === null ||
                definition.name?.value === requestContext.operationName),
          );
          const result = await executor({
            ...requestContext,
            document,
            operation: operation ?? requestContext.operation,
          });
          return restoreClientKeys(result, aliases);
        },
      };
    },
  };
};
