import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A local stream server speaking Binance's documented combined-stream format
 * (the network is closed here). It records what each connection asked for and
 * lets the test send frames, ping, go silent or drop the connection.
 */
export const startStreamServer = async () => {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const connections: { socket: WebSocket; path: string }[] = [];
  server.on('connection', (socket, request) =>
    connections.push({ socket, path: request.url ?? '' }),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    connections,
    latest: () => connections.at(-1)!.socket,
    close: () =>
      new Promise<void>((resolve) => {
        for (const { socket } of connections) socket.terminate();
        server.close(() => resolve());
      }),
  };
};

/** A trade frame as Binance's combined stream sends it. */
export const trade = (symbol: string, price: string, quantity: string, time: number, id: number) =>
  JSON.stringify({
    stream: `${symbol.toLowerCase()}@trade`,
    data: {
      e: 'trade',
      E: time + 1,
      s: symbol,
      t: id,
      p: price,
      q: quantity,
      T: time,
      m: true,
      M: true,
    },
  });
