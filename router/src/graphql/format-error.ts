import type { GraphQLFormattedError } from 'graphql';
import { formatGraphQLError, type Logger } from '@simple-securities/service-kit';
import { QUERY_PLANNING_FAILED } from './unplanned-root-fields.js';

/** What the gateway adds to an error a subgraph returned; also marks it as one. */
const SUBGRAPH_MARKER = 'serviceName';
const NEVER_SHOWN = new Set([SUBGRAPH_MARKER, 'stacktrace', 'exception']);

/** Codes of the router's own refusals: written for the client, shown as they are. */
export const ROUTER_ERROR_CODES = new Set([
  'CSRF_PREVENTED',
  'INTROSPECTION_DISABLED',
  'NOT_ACCEPTABLE',
  QUERY_PLANNING_FAILED,
  'SUBGRAPH_UNAVAILABLE',
]);

/**
 * Errors returned by subgraphs were already made safe for clients by the
 * subgraph itself, so their message, code and details pass through (without
 * which service answered, or any stack). The router's own refusals keep their
 * message and code. Everything else — including a subgraph failure nobody
 * expected — goes through the shared formatter, which hides unexpected errors
 * behind INTERNAL_SERVER_ERROR.
 */
export const formatRouterError = (logger: Logger) => {
  const formatOwn = formatGraphQLError(logger);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const extensions = formatted.extensions ?? {};
    if (typeof extensions[SUBGRAPH_MARKER] === 'string') {
      return {
        message: formatted.message,
        ...(formatted.path ? { path: formatted.path } : {}),
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        extensions: Object.fromEntries(
          Object.entries(extensions).filter(([key]) => !NEVER_SHOWN.has(key)),
        ),
      };
    }
    if (typeof extensions.code === 'string' && ROUTER_ERROR_CODES.has(extensions.code)) {
      return {
        message: formatted.message,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: extensions.code },
      };
    }
    return formatOwn(formatted, error);
  };
};
