import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getNamedType,
  getOperationAST,
  isObjectType,
  parse,
  print,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { Supergraph, operationFromDocument, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';
import { buildOperationContext } from '@apollo/gateway';

export type OperationContext = ReturnType<typeof buildOperationContext>;

/** A validated client operation, planned once and reused by every identical request. */
export interface PreparedOperation {
  readonly kind: OperationTypeNode;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly operationName: string | undefined;
  /** The operation in canonical form: part of the key that lets identical subscriptions share. */
  readonly canonical: string;
  readonly subscription?: PlannedSubscription;
}

export interface PlannedSubscription {
  /** `Subscription.<field>` in the supergraph. */
  readonly rootField: string;
  /** The subgraph that owns the root field and streams the events. */
  readonly owner: string;
  /** What the owner is asked to stream: the client's selection restricted to what it resolves, plus keys. */
  readonly primary: FetchNode;
  /** Entity fetches to other subgraphs that complete each event; absent when the owner resolves everything. */
  readonly rest: PlanNode | undefined;
  readonly operationContext: OperationContext;
  /** The schemas the plan was made against: its events are completed with them even after a reload. */
  readonly supergraphSchema: GraphQLSchema;
  readonly apiSchema: Schema;
  /**
   * Reads the identity of the entity an event is about (e.g. the symbol of a tick),
   * so a slow client can be given the latest event per entity instead of every event.
   */
  readonly conflationKey: (data: unknown) => string | undefined;
}

const badOperation = (message: string, code = 'GRAPHQL_VALIDATION_FAILED') =>
  new GraphQLError(message, { extensions: { code } });

const MAX_CACHED_OPERATIONS = 1_000;

/**
 * Reads the supergraph once and turns client operations into subscription plans:
 * which subgraph streams the root field, and which entity fetches complete each event.
 * The planning itself is Apollo's query planner, so the split is exactly the one the
 * gateway would make for the same selection in a query.
 */
export class SubscriptionPlanner {
  readonly apiSchema: Schema;
  readonly schema: GraphQLSchema;
  readonly supergraphSchema: GraphQLSchema;
  readonly subgraphUrls: ReadonlyMap<string, string>;
  private readonly planner: QueryPlanner;
  private readonly cache = new Map<string, PreparedOperation | readonly GraphQLError[]>();

  /**
   * @param generation tells plans of one supergraph from those of another, so
   *   that a subscription started after a reload never joins a stream planned before it.
   */
  constructor(
    supergraphSdl: string,
    readonly generation = 0,
  ) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.apiSchema = supergraph.apiSchema();
    this.schema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(supergraph);
    this.subgraphUrls = new Map(supergraph.subgraphsMetadata().map(({ name, url }) => [name, url]));
  }

  /** The prepared operation, or the errors that make it unacceptable. Cached by text and name. */
  prepare(
    query: string,
    operationName: string | undefined,
  ): PreparedOperation | readonly GraphQLError[] {
    const cacheKey = `${operationName ?? ''}\u0000${query}`;
    let prepared = this.cache.get(cacheKey);
    if (!prepared) {
      prepared = this.prepareUncached(query, operationName);
      if (this.cache.size >= MAX_CACHED_OPERATIONS) {
        const oldest = this.cache.keys().next().value;
        if (oldest !== undefined) this.cache.delete(oldest);
      }
      this.cache.set(cacheKey, prepared);
    }
    return prepared;
  }

  private prepareUncached(
    query: string,
    operationName: string | undefined,
  ): PreparedOperation | readonly GraphQLError[] {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return [badOperation((error as Error).message, 'GRAPHQL_PARSE_FAILED')];
    }
    const errors = validate(this.schema, document);
    if (errors.length > 0) return errors;
    const operation = getOperationAST(document, operationName);
    if (!operation) {
      return [
        badOperation(
          operationName
            ? `The document has no operation named "${operationName}".`
            : 'The document has several operations: say which one to run with operationName.',
          'OPERATION_RESOLUTION_FAILURE',
        ),
      ];
    }
    const name = operation.name?.value;
    const canonical = print({
      kind: Kind.DOCUMENT,
      definitions: document.definitions.filter(
        (definition) => definition.kind !== Kind.OPERATION_DEFINITION || definition === operation,
      ),
    });
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
      return { kind: operation.operation, document, operation, operationName: name, canonical };
    }
    try {
      return {
        kind: operation.operation,
        document,
        operation,
        operationName: name,
        canonical,
        subscription: this.planSubscription(document, operation, name),
      };
    } catch (error) {
      return [badOperation(`This subscription cannot be planned: ${(error as Error).message}`)];
    }
  }

  private planSubscription(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    operationName: string | undefined,
  ): PlannedSubscription {
    const plan = this.planner.buildQueryPlan(
      operationFromDocument(this.apiSchema, document, operationName ? { operationName } : {}),
    );
    if (plan.node?.kind !== 'Subscription') {
      throw new Error('the query planner did not produce a subscription plan');
    }
    const rootSelection = operation.selectionSet.selections[0];
    if (rootSelection?.kind !== Kind.FIELD) {
      throw new Error('a subscription selects exactly one root field');
    }
    return {
      rootField: rootSelection.name.value,
      owner: plan.node.primary.serviceName,
      primary: plan.node.primary,
      rest: plan.node.rest,
      operationContext: buildOperationContext({
        schema: this.schema,
        operationDocument: document,
        ...(operationName ? { operationName } : {}),
      }),
      supergraphSchema: this.supergraphSchema,
      apiSchema: this.apiSchema,
      conflationKey: this.conflationKeyReader(rootSelection),
    };
  }

  /**
   * Events about an entity are keyed by its `@key` fields when the client selected
   * them on the root field; other events share one key per subscription.
   */
  private conflationKeyReader(
    root: Extract<
      OperationDefinitionNode['selectionSet']['selections'][number],
      { kind: Kind.FIELD }
    >,
  ): (data: unknown) => string | undefined {
    const none = () => undefined;
    const field = this.schema.getSubscriptionType()?.getFields()[root.name.value];
    if (!field || field.type.toString().includes('[')) return none;
    const typeName = getNamedType(field.type).name;
    const supergraphType = this.supergraphSchema.getType(typeName);
    if (!isObjectType(supergraphType)) return none;
    const keyFields = (supergraphType.astNode?.directives ?? [])
      .filter((directive) => directive.name.value === 'join__type')
      .flatMap((directive) => directive.arguments ?? [])
      .filter((argument) => argument.name.value === 'key' && argument.value.kind === Kind.STRING)
      .map((argument) => (argument.value as { value: string }).value.trim().split(/\s+/))
      .find((fields) => !fields.some((f) => f.includes('{')));
    if (!keyFields) return none;
    const responseNames = keyFields.map((key) => {
      const selected = root.selectionSet?.selections.find(
        (selection) => selection.kind === Kind.FIELD && selection.name.value === key,
      );
      return selected?.kind === Kind.FIELD ? (selected.alias ?? selected.name).value : undefined;
    });
    if (responseNames.some((name) => name === undefined)) return none;
    const rootName = (root.alias ?? root.name).value;
    return (data) => {
      const value = (data as Record<string, Record<string, unknown> | null> | null)?.[rootName];
      return value
        ? responseNames.map((name) => String(value[name as string])).join('\u0000')
        : undefined;
    };
  }
}
