import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * A subscription is a stream of results, which a plain JSON response cannot
 * carry. Clients that ask for a streaming type never get here (the multipart
 * and event-stream handlers answer them first), so a subscription that
 * reaches Apollo came from a client that accepts neither: it gets a 406 that
 * names the three ways to subscribe, instead of the gateway's internal error.
 */
export const subscriptionsNeedAStream = <Context extends object>(
  graphqlUrl: () => string,
): ApolloServerPlugin<Context> => ({
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation !== 'subscription') return;
        throw new GraphQLError(
          `Subscriptions are streamed: POST them with "Accept: multipart/mixed;subscriptionSpec=1.0" (Apollo Client) or "Accept: text/event-stream" (GraphQL over SSE), or connect a graphql-ws client to ${graphqlUrl().replace(/^http/, 'ws')}.`,
          { extensions: { code: 'NOT_ACCEPTABLE', http: { status: 406 } } },
        );
      },
    };
  },
});
