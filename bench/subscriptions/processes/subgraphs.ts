import { pino } from 'pino';
import {
  composeSupergraph,
  startInstrumentsSubgraph,
  startPricesSubgraph,
} from '../../../router/test/subscriptions/test-subgraphs.js';
import { serveChild } from '../../shared/ipc.js';

/** The two test subgraphs (prices streams ticks, instruments extends Tick), in their own process. */
const logger = pino({ level: 'warn' });
const internalToken = process.env.INTERNAL_SERVICE_TOKEN ?? 'bench-internal-token';
const prices = await startPricesSubgraph({ logger, internalToken });
const instruments = await startInstrumentsSubgraph({ logger, internalToken });
const supergraph = composeSupergraph({ prices: prices.url, instruments: instruments.url });
serveChild({ type: 'ready', supergraphSdl: supergraph });
