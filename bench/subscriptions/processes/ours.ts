import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { attachSubscriptions } from '../../../router/src/subscriptions/index.js';
import { serveChild } from '../../shared/ipc.js';

/** Our router's subscription endpoint on its own process; the supergraph comes in SUPERGRAPH_SDL. */
const httpServer = http.createServer((_req, res) => res.writeHead(404).end());
attachSubscriptions({
  httpServer,
  supergraphSdl: process.env.SUPERGRAPH_SDL ?? '',
  jwtSecret: 'bench-jwt-secret-at-least-32-characters',
  internalToken: process.env.INTERNAL_SERVICE_TOKEN ?? 'bench-internal-token',
  logger: pino({ level: 'warn' }),
  publicSubscriptionFields: ['ticks'],
});
await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
serveChild({
  type: 'ready',
  url: `ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`,
});
