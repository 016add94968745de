/**
 * Stable codes a client can branch on. They travel unchanged to GraphQL as
 * `extensions.code`, so renaming one is a breaking change. Domain errors carry
 * these; the edge's own refusals are in `EDGE_ERROR_CODES`.
 */
export const DOMAIN_ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INSUFFICIENT_FUNDS',
  'MARKET_CLOSED',
  // Too many failed sign-ins for an account or from an address: wait (see `retryAfterSeconds`).
  'TOO_MANY_ATTEMPTS',
] as const;

/** Refusals at the edge (the router and the GraphQL servers), before any use case runs. */
export const EDGE_ERROR_CODES = [
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'NOT_ACCEPTABLE',
  'CSRF_PREVENTED',
  'INTROSPECTION_DISABLED',
  'SUBGRAPH_UNAVAILABLE',
  // The planner cannot reach a root field the operation asks for (see router ADR 0026).
  'QUERY_PLANNING_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_NOT_ALLOWED',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
] as const;

/** Every code a client can see. */
export const ERROR_CODES = [...DOMAIN_ERROR_CODES, ...EDGE_ERROR_CODES] as const;

export type ErrorCode = (typeof DOMAIN_ERROR_CODES)[number];
export type EdgeErrorCode = (typeof EDGE_ERROR_CODES)[number];

/** A rule of the domain was broken; the message is written for the person who sent the command. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
