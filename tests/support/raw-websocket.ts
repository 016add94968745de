import { randomBytes } from 'node:crypto';
import net from 'node:net';

/**
 * A WebSocket client that writes whatever bytes it is given, frame by frame:
 * the hostile-client tests need frames no well-behaved library will send
 * (oversize, bad UTF-8, unmasked, reserved opcodes, torn fragments).
 */
export interface RawWebSocket {
  /** Writes bytes as they are, after the handshake. */
  write(bytes: Buffer): void;
  /** The close code the server sent (undefined when it only dropped the connection). */
  readonly closed: Promise<number | undefined>;
  /** Text messages received so far. */
  readonly messages: string[];
  /** Ends the connection without a close frame: a reset. */
  reset(): void;
}

export const OPCODE = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

export interface FrameOptions {
  readonly fin?: boolean;
  /** RSV1–3 as a 3-bit number; must be 0 without extensions. */
  readonly rsv?: number;
  /** Clients must mask; false sends the payload as is. */
  readonly masked?: boolean;
  /** Claim this payload length in the header instead of the real one (the payload is still written). */
  readonly declaredLength?: number;
}

/** One client frame (RFC 6455 §5.2). */
export const clientFrame = (opcode: number, payload: Buffer, options: FrameOptions = {}) => {
  const { fin = true, rsv = 0, masked = true } = options;
  const length = options.declaredLength ?? payload.length;
  const lengthBytes = length < 126 ? 0 : length <= 0xffff ? 2 : 8;
  const header = Buffer.alloc(2 + lengthBytes + (masked ? 4 : 0));
  header[0] = (fin ? 0x80 : 0) | ((rsv & 0b111) << 4) | (opcode & 0x0f);
  const maskBit = masked ? 0x80 : 0;
  if (lengthBytes === 0) header[1] = maskBit | length;
  else if (lengthBytes === 2) {
    header[1] = maskBit | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  mask.copy(header, 2 + lengthBytes);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] = (body[i] as number) ^ (mask[i % 4] as number);
  return Buffer.concat([header, body]);
};

export const textFrame = (text: string) => clientFrame(OPCODE.text, Buffer.from(text));

/** Reads the server's frames (unmasked) until a close frame; returns its code. */
const readFrames = (
  buffer: Buffer,
  onText: (text: string) => void,
): { rest: Buffer; close?: number } => {
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    const opcode = (buffer[offset] as number) & 0x0f;
    let length = (buffer[offset + 1] as number) & 0x7f;
    let headerLength = 2;
    if (length === 126) {
      if (buffer.length - offset < 4) break;
      length = buffer.readUInt16BE(offset + 2);
      headerLength = 4;
    } else if (length === 127) {
      if (buffer.length - offset < 10) break;
      length = Number(buffer.readBigUInt64BE(offset + 2));
      headerLength = 10;
    }
    if (buffer.length - offset < headerLength + length) break;
    const payload = buffer.subarray(offset + headerLength, offset + headerLength + length);
    offset += headerLength + length;
    if (opcode === OPCODE.close) {
      return { rest: Buffer.alloc(0), close: payload.length >= 2 ? payload.readUInt16BE(0) : 1005 };
    }
    if (opcode === OPCODE.text) onText(payload.toString());
  }
  return { rest: buffer.subarray(offset) };
};

/** Opens a WebSocket to `httpUrl`'s host and path, speaking `protocol`. */
export const openRawWebSocket = (
  httpUrl: string,
  protocol = 'graphql-transport-ws',
): Promise<RawWebSocket> =>
  new Promise((resolve, reject) => {
    const url = new URL(httpUrl);
    const socket = net.connect(Number(url.port), url.hostname);
    const messages: string[] = [];
    let closeCode: number | undefined;
    let pending: Buffer = Buffer.alloc(0);
    let upgraded = false;
    const closed = new Promise<number | undefined>((resolveClosed) =>
      socket.once('close', () => resolveClosed(closeCode)),
    );
    socket.on('error', () => undefined); // a reset is what some tests are after
    socket.once('connect', () =>
      socket.write(
        [
          `GET ${url.pathname} HTTP/1.1`,
          `Host: ${url.host}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          `Sec-WebSocket-Protocol: ${protocol}`,
          '',
          '',
        ].join('\r\n'),
      ),
    );
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      if (!upgraded) {
        const end = pending.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = pending.subarray(0, end).toString();
        if (!head.startsWith('HTTP/1.1 101')) {
          socket.destroy();
          reject(new Error(`the upgrade was refused: ${head.split('\r\n')[0]}`));
          return;
        }
        upgraded = true;
        pending = pending.subarray(end + 4);
        resolve({
          write: (bytes) => {
            if (!socket.destroyed) socket.write(bytes);
          },
          closed,
          messages,
          reset: () => socket.resetAndDestroy(),
        });
      }
      const { rest, close } = readFrames(pending, (text) => messages.push(text));
      pending = rest;
      if (close !== undefined && closeCode === undefined) {
        closeCode = close;
        socket.end();
      }
    });
    socket.once('close', () => {
      if (!upgraded) reject(new Error('the connection closed before the upgrade'));
    });
  });
