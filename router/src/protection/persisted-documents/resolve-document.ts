import { documentHash, type TrustedDocuments } from './trusted-documents.js';
import type { RegisteredDocuments } from './registered-documents.js';

/** How the router treats documents sent by id. */
export interface PersistedDocumentsPolicy {
  /** The manifest's operations; clients may send their id instead of their text. */
  readonly trusted: TrustedDocuments | undefined;
  /** Only the manifest's operations run, by id or by identical text. */
  readonly enforce: boolean;
  /** Automatic persisted queries (when not enforcing); undefined turns them off. */
  readonly registered: RegisteredDocuments | undefined;
}

/** What a request says about its document: its text, an id, or both. */
export interface DocumentRequest {
  readonly query: string | undefined;
  /** `documentId`, with or without its `sha256:` prefix. */
  readonly documentId: string | undefined;
  /** `extensions.persistedQuery` (APQ), as sent. */
  readonly persistedQuery: unknown;
}

export type DocumentResolution =
  | { readonly kind: 'text'; readonly query: string }
  | { readonly kind: 'unchanged' }
  | {
      readonly kind: 'refused';
      readonly code:
        | 'PERSISTED_QUERY_NOT_ALLOWED'
        | 'PERSISTED_QUERY_NOT_FOUND'
        | 'PERSISTED_QUERY_NOT_SUPPORTED'
        | 'BAD_REQUEST';
      readonly message: string;
    };

const SHA256_PREFIX = 'sha256:';

const refused = (
  code: Extract<DocumentResolution, { kind: 'refused' }>['code'],
  message: string,
): DocumentResolution => ({ kind: 'refused', code, message });

const NOT_ALLOWED = refused(
  'PERSISTED_QUERY_NOT_ALLOWED',
  'This server runs only the operations its clients were built with; send a known documentId (or persisted query hash).',
);

/** The APQ hash of `extensions.persistedQuery`, or why it is not one. */
const apqHashOf = (persistedQuery: unknown): string | DocumentResolution => {
  const { version, sha256Hash } = (persistedQuery ?? {}) as Record<string, unknown>;
  if (version !== 1) {
    return refused('BAD_REQUEST', 'Only version 1 of the persisted query extension is supported.');
  }
  if (typeof sha256Hash !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256Hash)) {
    return refused('BAD_REQUEST', 'extensions.persistedQuery.sha256Hash is not a SHA-256 in hex.');
  }
  return sha256Hash.toLowerCase();
};

/**
 * Turns a request's document reference into the text to run, or refuses it:
 * a trusted document by id; in enforce mode nothing else; otherwise automatic
 * persisted queries (a hash the router has not seen is PERSISTED_QUERY_NOT_FOUND,
 * and the client sends it again with its text, which is checked against the hash).
 */
export const resolveDocument = (
  request: DocumentRequest,
  policy: PersistedDocumentsPolicy,
): DocumentResolution => {
  const { query, documentId, persistedQuery } = request;
  let id: string | undefined;
  let viaApq = false;
  if (documentId !== undefined) {
    id = (
      documentId.startsWith(SHA256_PREFIX) ? documentId.slice(SHA256_PREFIX.length) : documentId
    ).toLowerCase();
  } else if (persistedQuery !== undefined && persistedQuery !== null) {
    const hash = apqHashOf(persistedQuery);
    if (typeof hash !== 'string') return hash;
    id = hash;
    viaApq = true;
  }

  if (id === undefined) {
    if (!policy.enforce || query === undefined) return { kind: 'unchanged' };
    return policy.trusted?.has(documentHash(query)) ? { kind: 'unchanged' } : NOT_ALLOWED;
  }
  const trusted = policy.trusted?.get(id);
  if (trusted !== undefined) {
    if (query !== undefined && query !== trusted) {
      return refused('BAD_REQUEST', 'The query is not the text of the document its id names.');
    }
    return { kind: 'text', query: trusted };
  }
  if (policy.enforce) return NOT_ALLOWED;
  if (!viaApq) {
    return refused('PERSISTED_QUERY_NOT_FOUND', `No document has the id ${id.slice(0, 80)}.`);
  }
  const registered = policy.registered;
  if (!registered) {
    return refused('PERSISTED_QUERY_NOT_SUPPORTED', 'PersistedQueryNotSupported');
  }
  if (query === undefined) {
    const known = registered.get(id);
    // Apollo's clients look for this exact message, then send the text.
    return known === undefined
      ? refused('PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound')
      : { kind: 'text', query: known };
  }
  if (documentHash(query) !== id) {
    return refused(
      'BAD_REQUEST',
      'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query.',
    );
  }
  registered.register(id, query);
  return { kind: 'unchanged' };
};
