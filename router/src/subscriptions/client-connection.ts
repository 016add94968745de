import type { GraphQLFormattedError } from 'graphql';
import { CloseCode, MessageType, parseMessage, type SubscribePayload } from 'graphql-ws';
import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import type { Caller } from '@simple-securities/service-kit';
import type { Subscriber } from './fan-out.js';
import { textFrame } from './text-frame.js';

export interface ConnectionLimits {
  /** A socket that has not sent `connection_init` by then is closed with 4408. */
  readonly connectionInitWaitTimeoutMs: number;
  /** Above this many unsent bytes, a client gets the latest event per key instead of every event. */
  readonly highWaterMarkBytes: number;
  /** A client whose socket accepts nothing for this long is closed with 1013. */
  readonly slowConsumerGraceMs: number;
  readonly maxSubscriptionsPerConnection: number;
}

export interface DeliveryCounters {
  delivered: number;
  /** Events replaced by a newer one for the same key while their client was behind. */
  conflated: number;
  slowConsumersClosed: number;
}

/** What a connection needs from the server around it. */
export interface ConnectionHost {
  readonly limits: ConnectionLimits;
  readonly counters: DeliveryCounters;
  /** The caller in `connectionParams`, or undefined when anonymous; throws a reason when refused. */
  authenticate(params: Readonly<Record<string, unknown>> | undefined): Promise<{
    caller: Caller | undefined;
    expiresAt: number | undefined;
  }>;
  /** Starts an operation; returns how to stop it. */
  start(connection: ClientConnection, id: string, payload: SubscribePayload): () => void;
  forget(connection: ClientConnection): void;
}

const DRAIN_POLL_MS = 20;
const CLOSING_BRACE = Buffer.from('}');
/** The conflation key of an operation's last message, which nothing replaces. */
const END = '\u0001end';
const BAD_MESSAGE = 'The message does not follow the graphql-transport-ws protocol';

/**
 * One client socket speaking the graphql-transport-ws protocol. Event messages
 * arrive pre-serialised from the fan-out; this only adds the subscription id.
 * A client that falls behind never holds anyone else up: while its socket has
 * more than the high-water mark unsent, only the latest event per key is kept
 * for it, and a socket that accepts nothing for the grace period is closed.
 */
export class ClientConnection {
  caller: Caller | undefined;
  alive = true;
  private state: 'waiting' | 'authenticating' | 'ready' | 'closed' = 'waiting';
  private readonly operations = new Map<string, () => void>();
  /** Messages not sent yet, as frames (events) or text (the rest). */
  private backlog: Map<string, Buffer | string> | undefined;
  private lastProgressAt = 0;
  private readonly timers: ReturnType<typeof setTimeout>[] = [];
  private drainTimer: ReturnType<typeof setInterval> | undefined;

  /**
   * @param socket the upgraded connection: protocol messages, pings, closing.
   * @param stream the TCP stream under it, which events are written to as
   *   whole frames (one buffer, one write each). `ws` writes every frame of
   *   its own whole and at once, so the two never interleave inside a frame.
   */
  constructor(
    readonly socket: WebSocket,
    private readonly stream: Duplex,
    private readonly host: ConnectionHost,
  ) {
    this.timers.push(
      setTimeout(() => {
        if (this.state === 'waiting')
          this.close(
            CloseCode.ConnectionInitialisationTimeout,
            'Connection initialisation timeout',
          );
      }, host.limits.connectionInitWaitTimeoutMs),
    );
    socket.on('message', (data) => this.onMessage(String(data)));
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.once('close', () => this.cleanUp());
  }

  get subscriptionCount(): number {
    return this.operations.size;
  }

  close(code: number, reason: string): void {
    // A close reason may hold at most 123 bytes.
    if (this.state !== 'closed')
      this.socket.close(code, Buffer.from(reason).subarray(0, 123).toString());
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
      case MessageType.Subscribe: {
        if (this.state !== 'ready') return this.close(CloseCode.Unauthorized, 'Unauthorized');
        if (this.operations.has(message.id)) {
          return this.close(
            CloseCode.SubscriberAlreadyExists,
            `Subscriber for ${message.id} already exists`,
          );
        }
        if (this.operations.size >= this.host.limits.maxSubscriptionsPerConnection) {
          return this.error(message.id, [
            {
              message: `A connection may hold at most ${this.host.limits.maxSubscriptionsPerConnection} subscriptions; complete some or open another connection.`,
              extensions: { code: 'BAD_REQUEST' },
            },
          ]);
        }
        this.operations.set(message.id, () => undefined);
        const stop = this.host.start(this, message.id, message.payload);
        if (this.operations.has(message.id)) this.operations.set(message.id, stop);
        else stop();
        return;
      }
      case MessageType.Complete:
        return this.stop(message.id);
      default:
        return this.close(
          CloseCode.BadRequest,
          `Unexpected message of type ${message.type} received`,
        );
    }
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
      next: (payload, key) => this.deliver(textFrame([prefix, payload, CLOSING_BRACE]), id, key),
      error: (errors) => this.error(id, errors),
      complete: () => this.complete(id),
    };
  }

  /** Sends a single result, e.g. of a query sent over the socket. */
  result(id: string, payloadJson: string): void {
    this.deliver(`{"id":${JSON.stringify(id)},"type":"next","payload":${payloadJson}}`, id);
  }

  error(id: string, errors: readonly GraphQLFormattedError[]): void {
    if (!this.operations.delete(id)) return;
    this.deliver(JSON.stringify({ id, type: MessageType.Error, payload: errors }), id, END);
  }

  complete(id: string): void {
    if (!this.operations.delete(id)) return;
    this.deliver(JSON.stringify({ id, type: MessageType.Complete }), id, END);
  }

  private stop(id: string): void {
    const stop = this.operations.get(id);
    this.operations.delete(id);
    stop?.();
  }

  /**
   * Sends `message` of operation `id` now, or keeps it as the latest for its
   * conflation key while the client is behind. A buffer is an event's whole
   * frame; a string is a message for `ws` to frame.
   */
  private deliver(message: Buffer | string, id: string, conflationKey?: string): void {
    const { socket, host } = this;
    // Sending on a closing socket only builds an error per message.
    if (this.state === 'closed' || socket.readyState !== socket.OPEN) return;
    if (!this.backlog) {
      if (this.stream.writableLength < host.limits.highWaterMarkBytes) {
        this.send(message);
        host.counters.delivered += 1;
        return;
      }
      this.backlog = new Map();
      this.lastProgressAt = Date.now();
      this.drainTimer = setInterval(() => this.drain(), DRAIN_POLL_MS);
    }
    // Built only here: the hot path above must not allocate a key per event.
    const key = conflationKey === undefined ? id : `${id}\u0000${conflationKey}`;
    if (this.backlog.has(key)) host.counters.conflated += 1;
    this.backlog.set(key, message);
  }

  private send(message: Buffer | string): void {
    if (typeof message === 'string') this.socket.send(message);
    else this.stream.write(message);
  }

  private drain(): void {
    const backlog = this.backlog;
    const { socket, host } = this;
    if (!backlog || this.state === 'closed' || socket.readyState !== socket.OPEN) return;
    for (const [key, message] of backlog) {
      if (this.stream.writableLength >= host.limits.highWaterMarkBytes) break;
      backlog.delete(key);
      this.send(message);
      host.counters.delivered += 1;
      this.lastProgressAt = Date.now();
    }
    if (backlog.size === 0) {
      this.backlog = undefined;
      clearInterval(this.drainTimer);
    } else if (Date.now() - this.lastProgressAt > host.limits.slowConsumerGraceMs) {
      host.counters.slowConsumersClosed += 1;
      this.close(
        1013,
        `Slow consumer: nothing could be sent for ${host.limits.slowConsumerGraceMs} ms; reconnect.`,
      );
    }
  }

  private cleanUp(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const timer of this.timers) clearTimeout(timer);
    clearInterval(this.drainTimer);
    this.backlog = undefined;
    for (const stop of this.operations.values()) stop();
    this.operations.clear();
    this.host.forget(this);
  }
}
