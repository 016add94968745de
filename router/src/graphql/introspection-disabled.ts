import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, GraphQLError, visit, type DocumentNode } from 'graphql';

/** Cheap first look at the text: `__typename` does not match, `__schema` and `__type(` do. */
const MENTIONS_INTROSPECTION = /\b__(schema|type)\b/;

const asksForIntrospection = (document: DocumentNode) => {
  let found = false;
  visit(document, {
    Field(field) {
      if (field.name.value === '__schema' || field.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
};

/**
 * Refuses `__schema` and `__type` (HTTP 400, INTROSPECTION_DISABLED) so that a
 * production router does not hand out the whole API to whoever asks. It looks
 * at the resolved operation, so a persisted query sent by its hash is judged
 * like one sent as text; only a document whose text mentions them is walked,
 * so the cost on every other request is one regular-expression test.
 */
export const introspectionDisabled = <Context extends object>(): ApolloServerPlugin<Context> => {
  const hooks = {
    async didResolveOperation({ source, document }: { source: string; document: DocumentNode }) {
      if (!MENTIONS_INTROSPECTION.test(source) || !asksForIntrospection(document)) return;
      throw new GraphQLError(
        'Introspection is turned off on this server. Use the published schema instead.',
        { extensions: { code: 'INTROSPECTION_DISABLED', http: { status: 400 } } },
      );
    },
  };
  return { requestDidStart: async () => hooks };
};
