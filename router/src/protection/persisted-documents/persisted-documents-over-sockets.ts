import type { OperationStarter } from '../../subscriptions/index.js';
import { resolveDocument, type PersistedDocumentsPolicy } from './resolve-document.js';

/**
 * The same rules for operations sent over graphql-ws: a trusted document may be
 * sent by id (`extensions.persistedQuery` or `documentId` in the payload), and in
 * enforce mode nothing else starts. Automatic persisted queries are an HTTP
 * protocol; over a socket the text is sent anyway.
 */
export const persistedDocumentsOverSockets =
  (policy: PersistedDocumentsPolicy) =>
  (start: OperationStarter): OperationStarter =>
  (sink, id, payload) => {
    const { documentId, extensions } = payload as typeof payload & { documentId?: unknown };
    const resolution = resolveDocument(
      {
        query:
          typeof payload.query === 'string' && payload.query !== '' ? payload.query : undefined,
        documentId: typeof documentId === 'string' ? documentId : undefined,
        persistedQuery: extensions?.persistedQuery,
      },
      { ...policy, registered: undefined },
    );
    if (resolution.kind === 'refused') {
      sink.error(id, [{ message: resolution.message, extensions: { code: resolution.code } }]);
      return () => undefined;
    }
    return start(
      sink,
      id,
      resolution.kind === 'text' ? { ...payload, query: resolution.query } : payload,
    );
  };
