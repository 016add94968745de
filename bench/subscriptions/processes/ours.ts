import { pino } from 'pino';
import { startRouter } from '../../../router/src/index.js';
import { serveChild } from '../../shared/ipc.js';

/**
 * Our whole router (Express, Apollo Server, edge protection, metrics) with its
 * subscription endpoint as `npm start` serves it: every socket must sign in with
 * a bearer token in `connection_init`; `ticks` is public, so it is shared.
 */
const router = await startRouter({
  supergraphSdl: process.env.SUPERGRAPH_SDL ?? '',
  logger: pino({ level: 'warn' }),
  jwtSecret: process.env.JWT_SECRET ?? '',
  internalToken: process.env.INTERNAL_SERVICE_TOKEN ?? '',
  port: 0,
  subscriptions: { publicSubscriptionFields: ['ticks'], allowAnonymous: false },
});
serveChild({ type: 'ready', url: `ws://127.0.0.1:${router.port}/graphql` });
