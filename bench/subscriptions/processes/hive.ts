import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, getGraphQLWSOptions } from '@graphql-hive/gateway-runtime';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { serveChild } from '../../shared/ipc.js';

/**
 * Hive Gateway set up the way its CLI serves it (graphql-ws on the GraphQL path),
 * with subscriptions forwarded to subgraphs over graphql-ws like ours.
 */
const gateway = createGatewayRuntime({
  supergraph: process.env.SUPERGRAPH_SDL ?? '',
  logging: process.env.HIVE_LOGGING === 'debug' ? 'debug' : false,
  transportEntries: {
    '*.http': { options: { subscriptions: { kind: 'ws', location: '/graphql' } } },
  },
});
const httpServer = http.createServer(gateway);
const wss = new WebSocketServer({ path: gateway.graphqlEndpoint, server: httpServer });
useServer(
  getGraphQLWSOptions<Record<string, unknown>, Extra>(gateway, (ctx) => ({
    req: ctx.extra.request,
    socket: ctx.extra.socket,
  })),
  wss,
);
// graphql-ws needs the schema loaded; a first HTTP request loads it.
await gateway.fetch('http://localhost/graphql?query=%7B__typename%7D');
await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
serveChild({
  type: 'ready',
  url: `ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}${gateway.graphqlEndpoint}`,
});
