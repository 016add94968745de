import WebSocket from 'ws';

/** Subscribers speaking graphql-transport-ws directly, so the load generator stays cheap per event. */
export interface Load {
  /** Events received since the last `reset`. */
  readonly received: () => number;
  /** Delivery latencies (ms) sampled since the last `reset`. */
  readonly latencies: () => Float64Array;
  readonly errors: () => string[];
  reset(): void;
  close(): void;
}

const MAX_SAMPLES = 500_000;
const CONNECT_BATCH = 250;

/** Resolves once the connection is acknowledged; subscribing waits until every subscriber is connected. */
const NEXT = Buffer.from('{"id":"1","type":"next"');

const open = (url: string, onEvent: (data: Buffer) => void, onError: (e: string) => void) =>
  new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    socket.on('error', (error) => {
      onError(`socket error: ${error.message}`);
      reject(error);
    });
    socket.once('open', () => socket.send('{"type":"connection_init","payload":{}}'));
    socket.on('message', (raw: Buffer) => {
      // The hot path: a `next` frame is counted without decoding it.
      if (raw.subarray(0, NEXT.length).equals(NEXT)) return onEvent(raw);
      const data = raw.toString();
      if (data.startsWith('{"type":"connection_ack"')) resolve(socket);
      else if (data.includes('"type":"next"')) onEvent(raw);
      else if (data.includes('"type":"ping"')) socket.send('{"type":"pong"}');
      else if (data.includes('"type":"error"') || data.includes('"errors"'))
        onError(data.slice(0, 300));
    });
    socket.on('close', (code, reason) => {
      if (code !== 1000 && code !== 1005) onError(`closed ${code} ${reason.toString()}`);
      reject(
        new Error(`closed ${code} ${reason.toString()} before the connection was acknowledged`),
      );
    });
  });

/** `at` is when the subgraph produced the tick; every 16th event is sampled for latency. */
const AT = /"at":([0-9.e+]+)/;

export const startLoad = async (
  url: string,
  queryOf: (subscriber: number) => string,
  subscribers: number,
): Promise<Load> => {
  let received = 0;
  let samples = new Float64Array(MAX_SAMPLES);
  let sampled = 0;
  const errors: string[] = [];
  let closing = false;
  const onEvent = (data: Buffer) => {
    received += 1;
    if ((received & 15) === 0 && sampled < MAX_SAMPLES) {
      const at = AT.exec(data.toString());
      if (at) samples[sampled++] = performance.timeOrigin + performance.now() - Number(at[1]);
    }
  };
  const onError = (error: string) => {
    if (!closing && errors.length < 20) errors.push(error);
  };
  const sockets: WebSocket[] = [];
  for (let i = 0; i < subscribers; i += CONNECT_BATCH) {
    const batch = Math.min(CONNECT_BATCH, subscribers - i);
    sockets.push(
      ...(await Promise.all(Array.from({ length: batch }, () => open(url, onEvent, onError)))),
    );
  }
  sockets.forEach((socket, subscriber) =>
    socket.send(
      JSON.stringify({ id: '1', type: 'subscribe', payload: { query: queryOf(subscriber) } }),
    ),
  );
  return {
    received: () => received,
    latencies: () => samples.slice(0, sampled),
    errors: () => [...errors],
    reset: () => {
      received = 0;
      sampled = 0;
      samples = new Float64Array(MAX_SAMPLES);
    },
    close: () => {
      closing = true;
      for (const socket of sockets) socket.terminate();
    },
  };
};
