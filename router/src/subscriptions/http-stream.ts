import type http from 'node:http';
import type { GraphQLFormattedError } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import type { Caller, Logger } from '@simple-securities/service-kit';
import type { OperationSink, OperationStarter } from './client-connection.js';
import type { Subscriber } from './fan-out.js';
import type { DeliveryCounters } from './frame-writer.js';
import type { StreamFormat } from './stream-formats.js';

export interface HttpStreamHost {
  /** Above this many unsent bytes the client is too slow to follow, and its stream is ended. */
  readonly highWaterMarkBytes: number;
  /** A heartbeat this often keeps proxies from closing an idle stream. */
  readonly heartbeatMs: number;
  readonly maxOperationsPerStream: number;
  readonly counters: DeliveryCounters;
  readonly logger: Logger;
  readonly start: OperationStarter;
  forget(stream: HttpStream): void;
}

export type StartOutcome = 'started' | 'duplicate' | 'full' | 'ended';

const SESSION_EXPIRED: readonly GraphQLFormattedError[] = [
  { message: 'Your session has expired; sign in again.', extensions: { code: 'UNAUTHENTICATED' } },
];

/**
 * GraphQL operations streamed over one HTTP response — server-sent events or
 * Apollo's multipart subscriptions, by its `StreamFormat`. It is one more
 * sink of the graphql-ws machinery: events come pre-serialised from the
 * fan-out, so a subscriber costs a copy per event. A client that stops reading
 * is given up on instead of being buffered for (no conflation: an HTTP stream
 * cannot take back what it has queued); one that goes away stops its
 * operations; an expired token ends the stream with UNAUTHENTICATED.
 */
export class HttpStream implements OperationSink {
  private ended = false;
  private readonly operations = new Map<string, () => void>();
  private readonly keepAlive: ReturnType<typeof setInterval>;
  private readonly expiry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly response: http.ServerResponse,
    readonly caller: Caller | undefined,
    expiresAt: number | undefined,
    private readonly format: StreamFormat,
    private readonly host: HttpStreamHost,
  ) {
    response.writeHead(200, format.headers);
    // Headers go out now: a client learns that its stream is open before any event.
    if (format.opening) response.write(format.opening);
    else response.flushHeaders();
    response.on('close', () => this.cleanUp());
    response.on('error', (error) => {
      host.logger.info({ reason: error.message }, 'a streaming response to a client failed');
      this.cleanUp();
    });
    this.keepAlive = setInterval(() => this.write(format.keepAlive), host.heartbeatMs);
    this.expiry =
      expiresAt === undefined
        ? undefined
        : setTimeout(() => this.close(SESSION_EXPIRED), Math.max(0, expiresAt - Date.now()));
  }

  get subscriptionCount(): number {
    return this.operations.size;
  }

  /** Starts operation `id` on this stream; its results and end are written here. */
  start(id: string, payload: SubscribePayload): StartOutcome {
    if (this.ended) return 'ended';
    if (this.operations.has(id)) return 'duplicate';
    if (this.operations.size >= this.host.maxOperationsPerStream) return 'full';
    this.operations.set(id, () => undefined);
    const stop = this.host.start(this, id, payload);
    if (this.operations.has(id)) this.operations.set(id, stop);
    else stop();
    return 'started';
  }

  /** Stops operation `id` at the client's request; false when it is not running. */
  stop(id: string): boolean {
    const stop = this.operations.get(id);
    if (!stop) return false;
    this.operations.delete(id);
    stop();
    return true;
  }

  subscriber(id: string): Subscriber {
    const eventOf = this.format.eventsOf(id);
    return {
      next: (payload) => {
        if (this.operations.has(id) && this.write(eventOf(payload))) {
          this.host.counters.delivered += 1;
        }
      },
      error: (errors) => this.error(id, errors),
      complete: () => this.complete(id),
    };
  }

  result(id: string, payloadJson: string): void {
    if (this.operations.has(id)) this.write(this.format.result(id, payloadJson));
  }

  error(id: string, errors: readonly GraphQLFormattedError[]): void {
    if (!this.operations.has(id)) return;
    this.write(this.format.errors(id, errors));
    this.complete(id);
  }

  complete(id: string): void {
    if (!this.operations.delete(id)) return;
    this.write(this.format.complete(id));
    if (this.format.oneOperation) this.end();
  }

  /** Ends the stream for a reason of the router's: with `errors` for each operation, or without a word. */
  close(errors?: readonly GraphQLFormattedError[]): void {
    if (this.ended) return;
    if (errors) this.write(this.format.ended([...this.operations.keys()], errors));
    this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.response.end(this.format.end);
    this.cleanUp();
  }

  /** Writes `chunk` unless the client has fallen too far behind, in which case its stream ends. */
  private write(chunk: Buffer | string): boolean {
    if (this.ended) return false;
    if (this.response.writableLength > this.host.highWaterMarkBytes) {
      this.host.counters.slowConsumersClosed += 1;
      this.host.logger.info(
        { unsentBytes: this.response.writableLength },
        'ended a streaming response whose client stopped reading',
      );
      // Ending it politely would wait for the client to read what is queued; it is dropped instead.
      this.response.destroy();
      this.cleanUp();
      return false;
    }
    if (chunk.length > 0) this.response.write(chunk);
    return true;
  }

  private cleanUp(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.keepAlive);
    clearTimeout(this.expiry);
    for (const stop of this.operations.values()) stop();
    this.operations.clear();
    this.host.forget(this);
  }
}
