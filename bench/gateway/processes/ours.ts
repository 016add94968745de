import { pino } from 'pino';
import { startRouter } from '../../../router/src/index.js';
import { serveChild } from '../../shared/ipc.js';

/** Our whole router: Express, Apollo Server, auth, plugins, caller forwarding. */
const router = await startRouter({
  supergraphSdl: process.env.SUPERGRAPH_SDL ?? '',
  logger: pino({ level: 'warn' }),
  jwtSecret: process.env.JWT_SECRET ?? '',
  internalToken:
    process.env.INTERNAL_SERVICE_TOKEN ?? 'bench-internal-token-at-least-32-characters',
  port: 0,
});
serveChild({ type: 'ready', url: router.url });
