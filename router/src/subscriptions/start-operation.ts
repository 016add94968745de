import {
  getVariableValues,
  type FormattedExecutionResult,
  type GraphQLError,
  type GraphQLFormattedError,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import {
  callerKey,
  measureOperation,
  queryLimitProblems,
  type Caller,
  type Logger,
  type QueryLimits,
} from '@simple-securities/service-kit';
import { requestIdFrom, traceFrom } from '../trace/trace-context.js';
import type { OperationSink, OperationStarter } from './client-connection.js';
import type { FanOutHub } from './fan-out.js';
import type { PreparedOperation, SubscriptionPlanner } from './plan-subscription.js';

export type ExecuteOperation = (
  request: { query: string; variables: Record<string, unknown>; operationName?: string },
  caller: Caller | undefined,
) => Promise<FormattedExecutionResult>;

export interface OperationStarterOptions {
  /** The planner of the supergraph being served now: it changes when the supergraph is reloaded. */
  readonly planner: () => SubscriptionPlanner;
  readonly hub: FanOutHub;
  readonly queryLimits: QueryLimits;
  /** Root fields whose events are the same for everyone: shared by all callers. */
  readonly publicFields: ReadonlySet<string>;
  /** Runs queries and mutations sent over the socket; without it they are refused. */
  readonly executeOperation: ExecuteOperation | undefined;
  readonly logger: Logger;
}

const isErrors = (
  value: PreparedOperation | readonly GraphQLError[],
): value is readonly GraphQLError[] => Array.isArray(value);

const formatted = (errors: readonly GraphQLError[], code: string): GraphQLFormattedError[] =>
  errors.map((error) => ({
    message: error.message,
    ...(error.locations ? { locations: error.locations } : {}),
    extensions: { code: typeof error.extensions.code === 'string' ? error.extensions.code : code },
  }));

const stableJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );

const NOTHING_TO_STOP = () => undefined;

/**
 * Starts what a `subscribe` message asks for: validates it against the
 * supergraph and the same query limits as HTTP (with its variables), then joins
 * the shared stream of a subscription, or runs a query or mutation once.
 */
export const operationStarter = (options: OperationStarterOptions): OperationStarter => {
  const { hub, logger } = options;

  const runOnce = (
    connection: OperationSink,
    id: string,
    payload: SubscribePayload,
    variables: Record<string, unknown>,
  ): (() => void) => {
    const execute = options.executeOperation;
    if (!execute) {
      connection.error(id, [
        {
          message:
            'This socket serves subscriptions; send queries and mutations as HTTP POST to /graphql.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ]);
      return NOTHING_TO_STOP;
    }
    let stopped = false;
    execute(
      {
        query: payload.query,
        variables,
        ...(payload.operationName ? { operationName: payload.operationName } : {}),
      },
      connection.caller,
    )
      .then((result) => {
        if (stopped) return;
        connection.result(id, JSON.stringify(result));
        connection.complete(id);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'an operation sent over a socket failed');
        connection.error(id, [
          {
            message: 'Something went wrong on our side. Try again.',
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          },
        ]);
      });
    return () => {
      stopped = true;
    };
  };

  return (connection, id, payload) => {
    const planner = options.planner();
    const prepared = planner.prepare(payload.query, payload.operationName ?? undefined);
    if (isErrors(prepared)) {
      connection.error(id, formatted(prepared, 'GRAPHQL_VALIDATION_FAILED'));
      return NOTHING_TO_STOP;
    }
    const rawVariables = payload.variables ?? {};
    const coerced = getVariableValues(
      planner.schema,
      prepared.operation.variableDefinitions ?? [],
      rawVariables,
    );
    if (coerced.errors) {
      connection.error(id, formatted(coerced.errors, 'BAD_USER_INPUT'));
      return NOTHING_TO_STOP;
    }
    const measure = measureOperation(
      planner.schema,
      prepared.document,
      prepared.operation,
      coerced.coerced,
      options.queryLimits.fieldCosts,
    );
    const problems = queryLimitProblems(prepared.operation, measure, options.queryLimits);
    if (problems.length > 0) {
      connection.error(id, [
        { message: problems.join(' '), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      ]);
      return NOTHING_TO_STOP;
    }
    const plan = prepared.subscription;
    if (!plan) return runOnce(connection, id, payload, rawVariables);
    const isPublic = options.publicFields.has(plan.rootField);
    const caller = isPublic ? undefined : connection.caller;
    return hub.subscribe(
      {
        key: `${planner.generation}\u0000${prepared.canonical}\u0000${stableJson(rawVariables)}\u0000${isPublic ? '*' : callerKey(caller)}`,
        plan,
        variables: rawVariables,
        // A new request id and trace per subscription: its entity fetches can be followed in the logs.
        identity: { caller, requestId: requestIdFrom(undefined), trace: traceFrom(undefined) },
      },
      connection.subscriber(id),
    );
  };
};
