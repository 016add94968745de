import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { textFrame } from './text-frame.js';

/** Writes `frame` straight onto an upgraded connection, as the router does, and reads it with a `ws` client. */
const received = async (frame: Buffer) => {
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, stream, head) =>
    wss.handleUpgrade(request, stream, head, () => stream.write(frame)),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  try {
    return await new Promise<{ text: string; binary: boolean }>((resolve, reject) => {
      client.once('message', (data: Buffer, binary: boolean) =>
        resolve({ text: data.toString(), binary }),
      );
      client.once('error', reject);
    });
  } finally {
    client.terminate();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
};

describe('a text frame written to a WebSocket client', () => {
  it.each([
    ['empty', 0],
    ['short (7-bit length)', 125],
    ['medium (16-bit length)', 126],
    ['at the largest 16-bit length', 0xffff],
    ['long (64-bit length)', 0x10000],
  ])('arrives whole when %s', async (_, length) => {
    const text = 'x'.repeat(length);
    await expect(received(textFrame([Buffer.from(text)]))).resolves.toEqual({
      text,
      binary: false,
    });
  });

  it('holds its parts in order', async () => {
    const parts = ['{"id":"1","type":"next","payload":', '{"data":{"n":"é"}}', '}'];
    await expect(received(textFrame(parts.map((part) => Buffer.from(part))))).resolves.toEqual({
      text: parts.join(''),
      binary: false,
    });
  });
});
