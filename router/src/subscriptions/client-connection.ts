import type { GraphQLFormattedError } from 'graphql';
import { CloseCode, MessageType, parseMessage, type SubscribePayload } from 'graphql-ws';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import type { Caller, Logger } from '@simple-securities/service-kit';
import type { ConnectionAuthenticator } from './authenticate-connection.js';
import type { Subscriber } from './fan-out.js';
import { FrameWriter, type DeliveryCounters, type FrameWriterLimits } from './frame-writer.js';
import type { Pingable } from './keep-alive.js';
import { textFrame } from './text-frame.js';

export interface ConnectionLimits extends FrameWriterLimits {
  /** A socket that has not sent `connection_init` by then is closed with 4408. */
  readonly connectionInitWaitTimeoutMs: number;
  readonly maxSubscriptionsPerConnection: number;
}

/**
 * Where an operation's results go: a graphql-ws socket (many operations, by id)
 * or a server-sent event stream (one operation).
 */
export interface OperationSink {
  readonly caller: Caller | undefined;
  /** The client's peer address, where the sink knows it (rate limits count by it). */
  readonly clientAddress?: string | undefined;
  /** A subscriber that writes operation `id`'s events. */
  subscriber(id: string): Subscriber;
  /** Sends a single result, e.g. of a query; `complete` follows. */
  result(id: string, payloadJson: string): void;
  /** Ends operation `id` with `errors`. */
  error(id: string, errors: readonly GraphQLFormattedError[]): void;
  complete(id: string): void;
}

/** Starts an operation for a sink; returns how to stop it. */
export type OperationStarter = (
  sink: OperationSink,
  id: string,
  payload: SubscribePayload,
) => () => void;

/** What a connection needs from the server around it. */
export interface ConnectionHost {
  readonly limits: ConnectionLimits;
  readonly counters: DeliveryCounters;
  readonly logger: Logger;
  readonly authenticate: ConnectionAuthenticator;
  readonly start: OperationStarter;
  forget(connection: ClientConnection): void;
}

const CLOSING_BRACE = Buffer.from('}');
/** The conflation key of an operation's last message, which nothing replaces. */
const END = '\u0001end';
const BAD_MESSAGE = 'The message does not follow the graphql-transport-ws protocol';
/** A close reason may hold at most 123 bytes. */
const MAX_CLOSE_REASON_BYTES = 123;

/**
 * One client socket speaking the graphql-transport-ws protocol: the state of the
 * handshake and of each operation. Writing is the frame writer's job; event
 * messages arrive pre-serialised from the fan-out, and this only adds the id.
 *
 * Whatever the client sends (an oversize message, invalid UTF-8, a broken
 * frame, a reset) ends this connection alone: `ws` closes it with the code the
 * protocol prescribes (1009, 1007, 1002) and this logs why.
 */
export class ClientConnection implements Pingable, OperationSink {
  caller: Caller | undefined;
  readonly clientAddress: string | undefined;
  private alive = true;
  private state: 'waiting' | 'authenticating' | 'ready' | 'closed' = 'waiting';
  private readonly operations = new Map<string, () => void>();
  private readonly timers: ReturnType<typeof setTimeout>[] = [];
  private readonly writer: FrameWriter;

  /**
   * @param socket the upgraded connection: protocol messages, pings, closing.
   * @param stream the TCP stream under it, which events are written to as whole frames.
   */
  constructor(
    readonly socket: WebSocket,
    stream: Duplex,
    private readonly host: ConnectionHost,
  ) {
    this.clientAddress = (stream as Partial<Socket>).remoteAddress;
    this.writer = new FrameWriter(socket, stream, host.limits, host.counters, (reason) =>
      this.close(1013, reason),
    );
    this.timers.push(
      setTimeout(() => {
        if (this.state === 'waiting')
          this.close(
            CloseCode.ConnectionInitialisationTimeout,
            'Connection initialisation timeout',
          );
      }, host.limits.connectionInitWaitTimeoutMs),
    );
    // A text message that is not UTF-8 never gets here: `ws` closes its socket with 1007.
    socket.on('message', (data) => this.onMessage(String(data)));
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.on('error', (error: Error & { code?: string }) => {
      host.logger.info(
        { reason: error.message, code: error.code },
        'closed a client WebSocket that broke the protocol',
      );
      this.cleanUp();
    });
    socket.once('close', () => this.cleanUp());
  }

  get subscriptionCount(): number {
    return this.operations.size;
  }

  pingOrEnd(): void {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  close(code: number, reason: string): void {
    if (this.state !== 'closed') {
      this.socket.close(code, Buffer.from(reason).subarray(0, MAX_CLOSE_REASON_BYTES).toString());
    }
    this.cleanUp();
  }

  private onMessage(data: string): void {
    let message;
    try {
      message = parseMessage(data);
    } catch (error) {
      return this.close(CloseCode.BadRequest, `${BAD_MESSAGE}: ${(error as Error).message}`);
    }
    switch (message.type) {
      case MessageType.ConnectionInit:
        if (this.state !== 'waiting')
          return this.close(
            CloseCode.TooManyInitialisationRequests,
            'Too many initialisation requests',
          );
        this.state = 'authenticating';
        return void this.accept(message.payload);
      case MessageType.Ping:
        return this.socket.send('{"type":"pong"}');
      case MessageType.Pong:
        return;
      case MessageType.Subscribe:
        return this.subscribe(message.id, message.payload);
      case MessageType.Complete:
        return this.stop(message.id);
      default:
        return this.close(
          CloseCode.BadRequest,
          `Unexpected message of type ${message.type} received`,
        );
    }
  }

  private subscribe(id: string, payload: SubscribePayload): void {
    if (this.state !== 'ready') return this.close(CloseCode.Unauthorized, 'Unauthorized');
    if (this.operations.has(id)) {
      return this.close(CloseCode.SubscriberAlreadyExists, `Subscriber for ${id} already exists`);
    }
    const { maxSubscriptionsPerConnection } = this.host.limits;
    if (this.operations.size >= maxSubscriptionsPerConnection) {
      // Never registered, so answered here rather than through error().
      return this.writeError(id, [
        {
          message: `A connection may hold at most ${maxSubscriptionsPerConnection} subscriptions; complete some or open another connection.`,
          extensions: { code: 'BAD_REQUEST' },
        },
      ]);
    }
    this.operations.set(id, () => undefined);
    const stop = this.host.start(this, id, payload);
    if (this.operations.has(id)) this.operations.set(id, stop);
    else stop();
  }

  private async accept(params: Readonly<Record<string, unknown>> | undefined): Promise<void> {
    try {
      const { caller, expiresAt } = await this.host.authenticate(params);
      if (this.state !== 'authenticating') return;
      this.caller = caller;
      this.state = 'ready';
      this.socket.send('{"type":"connection_ack"}');
      if (expiresAt !== undefined) {
        this.timers.push(
          setTimeout(
            () => this.close(CloseCode.Forbidden, 'Your session has expired; sign in again.'),
            Math.max(0, expiresAt - Date.now()),
          ),
        );
      }
    } catch (error) {
      this.close(CloseCode.Forbidden, (error as Error).message);
    }
  }

  /** A subscriber that writes one subscription's events to this socket. */
  subscriber(id: string): Subscriber {
    // Encoded once per subscription, so an event costs each client a copy, not a UTF-8 encoding.
    const prefix = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
    return {
      next: (payload, key) =>
        this.writer.write(textFrame([prefix, payload, CLOSING_BRACE]), id, key),
      error: (errors) => this.error(id, errors),
      complete: () => this.complete(id),
    };
  }

  /** Sends a single result, e.g. of a query sent over the socket. */
  result(id: string, payloadJson: string): void {
    this.writer.write(`{"id":${JSON.stringify(id)},"type":"next","payload":${payloadJson}}`, id);
  }

  /** Ends operation `id` with `errors`; nothing when it has already ended. */
  error(id: string, errors: readonly GraphQLFormattedError[]): void {
    if (this.operations.delete(id)) this.writeError(id, errors);
  }

  complete(id: string): void {
    if (!this.operations.delete(id)) return;
    this.writer.write(JSON.stringify({ id, type: MessageType.Complete }), id, END);
  }

  private writeError(id: string, errors: readonly GraphQLFormattedError[]): void {
    this.writer.write(JSON.stringify({ id, type: MessageType.Error, payload: errors }), id, END);
  }

  private stop(id: string): void {
    const stop = this.operations.get(id);
    this.operations.delete(id);
    stop?.();
  }

  private cleanUp(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const timer of this.timers) clearTimeout(timer);
    this.writer.stop();
    for (const stop of this.operations.values()) stop();
    this.operations.clear();
    this.host.forget(this);
  }
}
