import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { serveChild } from '../../shared/ipc.js';

/** Hive Gateway's runtime on a Node HTTP server, as its CLI serves it. */
const gateway = createGatewayRuntime({
  supergraph: process.env.SUPERGRAPH_SDL ?? '',
  logging: false,
});
const httpServer = http.createServer(gateway);
await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
serveChild({
  type: 'ready',
  url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}${gateway.graphqlEndpoint}`,
});
