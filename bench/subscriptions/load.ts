import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';

/**
 * Subscribers speaking graphql-transport-ws over a minimal WebSocket client on a
 * plain TCP socket. The load generator shares this machine's two cores with the
 * gateway it measures, so it must cost far less per event than the gateway: a
 * `next` frame is counted from its header without decoding, several frames
 * read in one chunk cost one callback, and only every 16th event is parsed for
 * its latency.
 */
export interface Load {
  /** Events received since the last `reset`, not counting those that carry errors. */
  readonly received: () => number;
  /** `next` frames since the last `reset` whose payload has `errors`: failures, not deliveries. */
  readonly errorEvents: () => number;
  /** Delivery latencies (ms) sampled since the last `reset`. */
  readonly latencies: () => Float64Array;
  /** The first protocol errors and error-carrying events, for the report. */
  readonly errors: () => string[];
  reset(): void;
  close(): void;
}

const MAX_SAMPLES = 500_000;
const CONNECT_BATCH = 250;
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const NEXT = Buffer.from('{"id":"1","type":"next"');
const ERRORS = Buffer.from('"errors"');
/** `at` is when the subgraph produced the tick. */
const AT = /"at":([0-9.e+]+)/;

const enum Opcode {
  Text = 0x1,
  Close = 0x8,
  Ping = 0x9,
  Pong = 0xa,
}

/** A client frame: final, masked as RFC 6455 requires of clients. */
const clientFrame = (opcode: Opcode, payload: Buffer): Buffer => {
  const length = payload.length;
  const extended = length > 125 ? (length > 0xffff ? 8 : 2) : 0;
  const frame = Buffer.allocUnsafe(2 + extended + 4 + length);
  frame[0] = 0x80 | opcode;
  frame[1] = 0x80 | (extended === 0 ? length : extended === 2 ? 126 : 127);
  if (extended === 2) frame.writeUInt16BE(length, 2);
  if (extended === 8) frame.writeBigUInt64BE(BigInt(length), 2);
  const mask = randomBytes(4);
  const maskAt = 2 + extended;
  mask.copy(frame, maskAt);
  for (let i = 0; i < length; i++)
    frame[maskAt + 4 + i] = (payload[i] as number) ^ (mask[i & 3] as number);
  return frame;
};

interface Handlers {
  onEvent(frame: Buffer, start: number, end: number): void;
  onErrorEvent(frame: Buffer, start: number, end: number): void;
  onError(error: string): void;
}

/** Opens one graphql-transport-ws connection; resolves once it is acknowledged. */
const open = (url: URL, connectionInit: string, handlers: Handlers) =>
  new Promise<net.Socket>((resolve, reject) => {
    const key = randomBytes(16).toString('base64');
    const accept = createHash('sha1')
      .update(key + WEBSOCKET_GUID)
      .digest('base64');
    const socket = net.connect(Number(url.port), url.hostname);
    socket.setNoDelay(true);
    const send = (opcode: Opcode, text: string | Buffer) =>
      socket.write(clientFrame(opcode, Buffer.from(text)));
    let upgraded = false;
    let closeAnnounced = false;
    let pending: Buffer | undefined;
    const fail = (error: string) => {
      handlers.onError(error);
      reject(new Error(error));
      socket.destroy();
    };

    const onText = (frame: Buffer, start: number, end: number) => {
      if (
        end - start >= NEXT.length &&
        frame.compare(NEXT, 0, NEXT.length, start, start + NEXT.length) === 0
      )
        // A field error keeps the stream open in a `next` frame: it is a failed delivery.
        return frame.subarray(start, end).includes(ERRORS)
          ? handlers.onErrorEvent(frame, start, end)
          : handlers.onEvent(frame, start, end);
      const text = frame.toString('utf8', start, end);
      if (text.startsWith('{"type":"connection_ack"')) resolve(socket);
      else if (text.startsWith('{"type":"ping"')) send(Opcode.Text, '{"type":"pong"}');
      else if (text.includes('"type":"error"') || text.includes('"errors"'))
        handlers.onError(text.slice(0, 300));
    };

    /** Handles every whole frame in `chunk`; returns the bytes of an incomplete last one. */
    const readFrames = (chunk: Buffer): Buffer | undefined => {
      let at = 0;
      while (chunk.length - at >= 2) {
        const first = chunk[at] as number;
        let length = (chunk[at + 1] as number) & 0x7f;
        let headerLength = 2;
        if (length === 126) {
          if (chunk.length - at < 4) break;
          length = chunk.readUInt16BE(at + 2);
          headerLength = 4;
        } else if (length === 127) {
          if (chunk.length - at < 10) break;
          length = Number(chunk.readBigUInt64BE(at + 2));
          headerLength = 10;
        }
        const start = at + headerLength;
        const end = start + length;
        if (end > chunk.length) break;
        const opcode = first & 0x0f;
        if ((first & 0x80) === 0) {
          fail('the gateway sent a fragmented message, which this load generator does not read');
          return undefined;
        }
        if (opcode === Opcode.Text) onText(chunk, start, end);
        else if (opcode === Opcode.Ping) send(Opcode.Pong, chunk.subarray(start, end));
        else if (opcode === Opcode.Close) {
          closeAnnounced = true;
          const code = length >= 2 ? chunk.readUInt16BE(start) : 1005;
          if (code !== 1000) fail(`closed ${code} ${chunk.toString('utf8', start + 2, end)}`);
          socket.end();
        }
        at = end;
      }
      return at < chunk.length ? chunk.subarray(at) : undefined;
    };

    const readHandshake = (chunk: Buffer): Buffer | undefined => {
      const headerEnd = chunk.indexOf('\r\n\r\n');
      if (headerEnd < 0) return chunk;
      const head = chunk.toString('latin1', 0, headerEnd);
      if (!head.startsWith('HTTP/1.1 101') || !head.includes(`Sec-WebSocket-Accept: ${accept}`)) {
        fail(`the gateway refused the WebSocket upgrade: ${head.split('\r\n')[0] ?? head}`);
        return undefined;
      }
      upgraded = true;
      send(Opcode.Text, connectionInit);
      const rest = chunk.subarray(headerEnd + 4);
      return rest.length > 0 ? readFrames(rest) : undefined;
    };

    socket.on('data', (data: Buffer) => {
      const chunk = pending ? Buffer.concat([pending, data]) : data;
      pending = upgraded ? readFrames(chunk) : readHandshake(chunk);
    });
    socket.on('error', (error) => fail(`socket error: ${error.message}`));
    socket.on('close', () => {
      // A subscriber lost without a close frame would otherwise only show as fewer events.
      if (!closeAnnounced)
        handlers.onError('the gateway dropped the connection without closing it');
      reject(new Error('closed before the connection was acknowledged'));
    });
    socket.write(
      `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
    );
  });

/** What one subscriber subscribes to: the `subscribe` message's payload. */
export interface Subscription {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>>;
}

export const startLoad = async (options: {
  url: string;
  subscriptionOf: (subscriber: number) => Subscription;
  subscribers: number;
  /** Sent in every `connection_init` as `authorization: Bearer …`. */
  token?: string;
  /** When each subscriber subscribes, after all are connected; this sets the phase of its stream's ticks. */
  subscribeDelayMs?: (subscriber: number) => number;
}): Promise<Load> => {
  const { subscriptionOf, subscribers, subscribeDelayMs = () => 0 } = options;
  const connectionInit = JSON.stringify({
    type: 'connection_init',
    payload: options.token ? { authorization: `Bearer ${options.token}` } : {},
  });
  let received = 0;
  let errorEvents = 0;
  let samples = new Float64Array(MAX_SAMPLES);
  let sampled = 0;
  const errors: string[] = [];
  let closing = false;
  const handlers: Handlers = {
    onEvent: (frame, start, end) => {
      received += 1;
      if ((received & 15) !== 0 || sampled >= MAX_SAMPLES) return;
      const at = AT.exec(frame.toString('latin1', start, end));
      if (at) samples[sampled++] = performance.timeOrigin + performance.now() - Number(at[1]);
    },
    onErrorEvent: (frame, start, end) => {
      errorEvents += 1;
      handlers.onError(frame.toString('utf8', start, Math.min(end, start + 300)));
    },
    onError: (error) => {
      if (!closing && errors.length < 20) errors.push(error);
    },
  };
  const target = new URL(options.url);
  const sockets: net.Socket[] = [];
  for (let i = 0; i < subscribers; i += CONNECT_BATCH) {
    const batch = Math.min(CONNECT_BATCH, subscribers - i);
    sockets.push(
      ...(await Promise.all(
        Array.from({ length: batch }, () => open(target, connectionInit, handlers)),
      )),
    );
  }
  await Promise.all(
    sockets.map(async (socket, subscriber) => {
      const delayMs = subscribeDelayMs(subscriber);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      socket.write(
        clientFrame(
          Opcode.Text,
          Buffer.from(
            JSON.stringify({ id: '1', type: 'subscribe', payload: subscriptionOf(subscriber) }),
          ),
        ),
      );
    }),
  );
  return {
    received: () => received,
    errorEvents: () => errorEvents,
    latencies: () => samples.slice(0, sampled),
    errors: () => [...errors],
    reset: () => {
      received = 0;
      errorEvents = 0;
      sampled = 0;
      samples = new Float64Array(MAX_SAMPLES);
    },
    close: () => {
      closing = true;
      for (const socket of sockets) socket.destroy();
    },
  };
};
