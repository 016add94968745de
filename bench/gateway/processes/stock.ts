import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { serveChild } from '../../shared/ipc.js';

/** Stock @apollo/gateway served by @apollo/server as its documentation sets it up. */
const server = new ApolloServer({
  gateway: new ApolloGateway({ supergraphSdl: process.env.SUPERGRAPH_SDL ?? '' }),
});
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
serveChild({ type: 'ready', url });
