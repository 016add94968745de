import type { Request, RequestHandler } from 'express';
import {
  resolveDocument,
  type DocumentRequest,
  type PersistedDocumentsPolicy,
} from './resolve-document.js';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const jsonParam = (value: string | null): unknown => {
  if (value === null) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};

/** The request without its document reference: what Apollo and the event streams read. */
const withoutReference = (extensions: unknown): unknown => {
  if (!isObject(extensions) || !('persistedQuery' in extensions)) return extensions;
  const rest = { ...extensions };
  delete rest.persistedQuery;
  return Object.keys(rest).length > 0 ? rest : undefined;
};

const textOrUndefined = (value: unknown) => (typeof value === 'string' ? value : undefined);

interface Reading {
  readonly request: DocumentRequest;
  /** Puts the query to run in the request and takes the reference out. */
  rewrite(query: string | undefined): void;
}

const readPost = (req: Request): Reading | undefined => {
  const body: unknown = req.body;
  if (!isObject(body)) return undefined;
  return {
    request: {
      query: textOrUndefined(body.query),
      documentId: textOrUndefined(body.documentId),
      persistedQuery: isObject(body.extensions) ? body.extensions.persistedQuery : undefined,
    },
    rewrite: (query) => {
      const { extensions, ...rest } = body;
      delete rest.documentId;
      const kept = withoutReference(extensions);
      req.body = {
        ...rest,
        ...(query === undefined ? {} : { query }),
        ...(kept === undefined ? {} : { extensions: kept }),
      };
    },
  };
};

const readGet = (req: Request): Reading => {
  const [path = '', search = ''] = req.originalUrl.split('?', 2);
  const params = new URLSearchParams(search);
  const extensions = jsonParam(params.get('extensions'));
  return {
    request: {
      query: params.get('query') ?? undefined,
      documentId: params.get('documentId') ?? undefined,
      persistedQuery: isObject(extensions) ? extensions.persistedQuery : undefined,
    },
    rewrite: (query) => {
      if (query !== undefined) params.set('query', query);
      params.delete('documentId');
      const kept = withoutReference(extensions);
      if (kept === undefined) params.delete('extensions');
      else params.set('extensions', typeof kept === 'string' ? kept : JSON.stringify(kept));
      const rewritten = params.toString();
      // Apollo reads `url` (relative to where it is mounted); the event streams read `originalUrl`.
      const [mountedPath = '/'] = req.url.split('?', 1);
      req.originalUrl = `${path}?${rewritten}`;
      req.url = `${mountedPath}?${rewritten}`;
    },
  };
};

/** HTTP statuses of the refusals: a missing APQ entry is 200, as Apollo's clients expect. */
const STATUS_OF = {
  PERSISTED_QUERY_NOT_FOUND: 200,
  PERSISTED_QUERY_NOT_SUPPORTED: 200,
  PERSISTED_QUERY_NOT_ALLOWED: 400,
  BAD_REQUEST: 400,
} as const;

/**
 * Resolves `documentId` and `extensions.persistedQuery` on GraphQL requests over
 * HTTP (POST bodies and GET query strings) before Apollo or the event streams see
 * them: they then get plain `query` text. Refusals are answered here.
 */
export const persistedDocumentsOverHttp =
  (policy: PersistedDocumentsPolicy, onRefused: (code: string) => void): RequestHandler =>
  (req, res, next) => {
    const reading =
      req.method === 'GET' ? readGet(req) : req.method === 'POST' ? readPost(req) : undefined;
    if (!reading) return next();
    const resolution = resolveDocument(reading.request, policy);
    if (resolution.kind === 'refused') {
      onRefused(resolution.code);
      res
        .status(STATUS_OF[resolution.code])
        .setHeader('cache-control', 'private, no-cache, must-revalidate')
        .json({ errors: [{ message: resolution.message, extensions: { code: resolution.code } }] });
      return;
    }
    const { documentId, persistedQuery } = reading.request;
    if (resolution.kind === 'text') reading.rewrite(resolution.query);
    else if (documentId !== undefined || persistedQuery !== undefined) reading.rewrite(undefined);
    next();
  };
