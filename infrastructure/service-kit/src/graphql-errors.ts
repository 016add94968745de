import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { isDomainError } from '@simple-securities/shared-kernel';
import type { Logger } from 'pino';
import { boundedText } from './bounded-text.js';

/** Longest message or detail shown to a client: enough to quote what it sent, never all of it. */
const MAX_SHOWN_CHARACTERS = 500;

const bounded = (details: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(details).map(([key, value]) => [
      key,
      typeof value === 'string' ? boundedText(value, MAX_SHOWN_CHARACTERS) : value,
    ]),
  );

/** Codes Apollo itself assigns to bad requests; those are safe to show as they are. */
const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
]);

/**
 * The stable code an error is counted and traced under: a domain error's own,
 * else the `extensions.code` it carries, else INTERNAL_SERVER_ERROR.
 */
export const errorCodeOf = (error: unknown): string => {
  const original = unwrapResolverError(error);
  if (isDomainError(original)) return original.code;
  const code = (error as { extensions?: Record<string, unknown> } | undefined)?.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
};

/**
 * Turns any error into what a client may see: domain errors keep their stable
 * code and message (cut to a bounded length, as they may quote the request); anything unexpected is logged in full and shown only as an
 * internal error, so no stack trace or internal detail leaks.
 */
export const formatGraphQLError =
  (logger: Logger) =>
  (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (isDomainError(original)) {
      return {
        message: boundedText(original.message, MAX_SHOWN_CHARACTERS),
        ...(formatted.path ? { path: formatted.path } : {}),
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        extensions: { code: original.code, ...bounded(original.details) },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) {
      return {
        message: boundedText(formatted.message, MAX_SHOWN_CHARACTERS),
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        extensions: { code },
      };
    }
    logger.error(
      { err: original, path: formatted.path },
      'unexpected error while serving a GraphQL request',
    );
    return {
      message: 'Something went wrong on our side. Try again; if it persists, contact support.',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
