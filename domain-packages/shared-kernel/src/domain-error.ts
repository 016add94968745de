/**
 * Stable codes a client can branch on. They travel unchanged to GraphQL as
 * `extensions.code`, so renaming one is a breaking change.
 */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INSUFFICIENT_FUNDS',
  'MARKET_CLOSED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

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
