import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * The gateway cannot execute subscriptions; the router serves them over
 * graphql-ws on the same URL. A subscription posted over HTTP therefore gets
 * a 400 that says where to send it, instead of the gateway's internal error.
 */
export const subscriptionsNeedWebSocket = <Context extends object>(
  graphqlUrl: () => string,
): ApolloServerPlugin<Context> => ({
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation !== 'subscription') return;
        throw new GraphQLError(
          `Subscriptions are served over WebSocket: connect a graphql-ws client (protocol graphql-transport-ws) to ${graphqlUrl().replace(/^http/, 'ws')}.`,
          { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
        );
      },
    };
  },
});
