import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import Negotiator from 'negotiator';

export const APPLICATION_JSON = 'application/json; charset=utf-8';
export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json; charset=utf-8';

/**
 * In order of preference when the client likes both equally (any type, or no
 * `Accept`): the legacy type first, as the spec asks while clients move over.
 */
const OFFERED = [APPLICATION_JSON, GRAPHQL_RESPONSE_JSON];

/** The `Accept` values nearly every client sends, answered without negotiating. */
const COMMON = new Map([
  ['application/json', APPLICATION_JSON],
  ['application/graphql-response+json', GRAPHQL_RESPONSE_JSON],
  ['*/*', APPLICATION_JSON],
]);

/**
 * The media type of the answer to a request with this `Accept` header, or
 * undefined when it accepts neither GraphQL response type.
 */
export const responseMediaType = (accept: string | undefined): string | undefined => {
  if (accept === undefined || accept.trim() === '') return APPLICATION_JSON;
  return COMMON.get(accept) ?? new Negotiator({ headers: { accept } }).mediaType(OFFERED);
};

/**
 * Apollo's code for a request that is not a GraphQL-over-HTTP request at all
 * (no query, a query that is not a string, …): 400 whatever the media type.
 */
const isMalformedRequest = (error: GraphQLFormattedError) =>
  error.extensions?.code === 'BAD_REQUEST';

const notAcceptable = () =>
  new GraphQLError(
    'The Accept header allows neither application/graphql-response+json nor application/json; ask for one of them.',
    { extensions: { code: 'NOT_ACCEPTABLE', http: { status: 406 } } },
  );

/**
 * The status codes of the GraphQL-over-HTTP spec, by the media type the client
 * accepts. A request error (the document does not parse or validate, a
 * variable does not coerce, a limit refuses it) is HTTP 400 in
 * `application/graphql-response+json`, which says by its status that nothing
 * ran; in legacy `application/json` the status of a well-formed request is 200
 * and the error is in the body, which is what older clients read. Requests
 * that cannot be answered in a type the client accepts are refused with 406
 * before anything executes. Malformed requests (400 BAD_REQUEST), authentication
 * (401) and method (405) statuses are the same in both.
 */
export const graphqlOverHttp = <Context extends object>(): ApolloServerPlugin<Context> => ({
  async requestDidStart({ request }) {
    const mediaType = responseMediaType(request.http?.headers.get('accept'));
    return {
      async didResolveOperation() {
        if (mediaType === undefined) throw notAcceptable();
      },
      async willSendResponse({ response }) {
        // A refusal for an unacceptable type is still written as JSON, so its code can be read.
        response.http.headers.set('content-type', mediaType ?? APPLICATION_JSON);
        if (mediaType !== APPLICATION_JSON || response.http.status !== 400) return;
        if (response.body.kind !== 'single') return;
        const { data, errors = [] } = response.body.singleResult;
        if (data === undefined && !errors.some(isMalformedRequest)) response.http.status = 200;
      },
    };
  },
});
