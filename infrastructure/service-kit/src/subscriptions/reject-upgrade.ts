import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';

/**
 * Answers a WebSocket upgrade request that nobody serves with a plain HTTP status
 * and closes the socket, instead of leaving it open until the client gives up.
 */
export const rejectUpgrade = (socket: Duplex, status: number, logger: Logger): void => {
  socket.on('error', (error) =>
    logger.info({ reason: error.message }, 'a rejected WebSocket upgrade failed while closing'),
  );
  const reason = STATUS_CODES[status] ?? 'Error';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};
