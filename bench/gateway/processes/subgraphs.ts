import { serveChild } from '../../shared/ipc.js';
import { startBenchSubgraphs, type RecordedCall } from '../subgraphs.js';

/**
 * The four subgraphs in one process, metered on their own. On `record` it keeps
 * the calls it answers until `recorded`, so the runner can replay a gateway's
 * calls without a gateway.
 */
let recording: RecordedCall[] | undefined;
const { supergraphSdl, urls } = await startBenchSubgraphs((call) => recording?.push(call));
process.on('message', (message: { type?: string }) => {
  if (message.type === 'record') recording = [];
  if (message.type === 'recorded') {
    process.send?.({ type: 'recorded', calls: recording ?? [] });
    recording = undefined;
  }
});
serveChild({ type: 'ready', supergraphSdl, urls });
