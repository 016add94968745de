import type http from 'node:http';
import type { GraphQLFormattedError } from 'graphql';
import type { Caller, Logger } from '@simple-securities/service-kit';
import type { OperationSink, OperationStarter } from './client-connection.js';
import type { Subscriber } from './fan-out.js';
import type { DeliveryCounters } from './frame-writer.js';

export interface EventStreamHost {
  /** Above this many unsent bytes the client is too slow to follow, and its stream is ended. */
  readonly highWaterMarkBytes: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  readonly keepAliveMs: number;
  readonly counters: DeliveryCounters;
  readonly logger: Logger;
  readonly start: OperationStarter;
  forget(stream: EventStream): void;
}

/** The one operation of a stream (graphql-sse's "distinct connections mode"). */
const OPERATION_ID = 'sse';
const NEXT = Buffer.from('event: next\ndata: ');
const END_OF_EVENT = Buffer.from('\n\n');
const COMPLETE = 'event: complete\ndata:\n\n';
const KEEP_ALIVE = ':\n\n';

export const EVENT_STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // Tells nginx-style proxies not to buffer the stream.
  'x-accel-buffering': 'no',
} as const;

/**
 * One GraphQL operation over server-sent events, in the GraphQL over SSE
 * protocol's distinct connections mode: each result is a `next` event, the
 * end a `complete` event. Events come pre-serialised from the fan-out, so a
 * subscriber costs a copy per event, as on graphql-ws. A client that stops
 * reading is given up on instead of being buffered for; one that goes away
 * stops its operation.
 */
export class EventStream implements OperationSink {
  private ended = false;
  private stopOperation: (() => void) | undefined;
  private readonly keepAlive: ReturnType<typeof setInterval>;
  private readonly expiry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly response: http.ServerResponse,
    readonly caller: Caller | undefined,
    expiresAt: number | undefined,
    private readonly host: EventStreamHost,
  ) {
    response.writeHead(200, EVENT_STREAM_HEADERS);
    response.on('close', () => this.cleanUp());
    response.on('error', (error) => {
      host.logger.info({ reason: error.message }, 'an event stream to a client failed');
      this.cleanUp();
    });
    this.keepAlive = setInterval(() => response.write(KEEP_ALIVE), host.keepAliveMs);
    this.expiry =
      expiresAt === undefined
        ? undefined
        : setTimeout(
            () =>
              this.error(OPERATION_ID, [
                {
                  message: 'Your session has expired; sign in again.',
                  extensions: { code: 'UNAUTHENTICATED' },
                },
              ]),
            Math.max(0, expiresAt - Date.now()),
          );
  }

  get subscriptionCount(): number {
    return this.ended ? 0 : 1;
  }

  run(payload: Parameters<OperationStarter>[2]): void {
    const stop = this.host.start(this, OPERATION_ID, payload);
    if (this.ended) stop();
    else this.stopOperation = stop;
  }

  subscriber(): Subscriber {
    return {
      next: (payload) => this.next(payload),
      error: (errors) => this.error(OPERATION_ID, errors),
      complete: () => this.complete(),
    };
  }

  result(_id: string, payloadJson: string): void {
    this.next(Buffer.from(payloadJson));
    this.complete();
  }

  error(_id: string, errors: readonly GraphQLFormattedError[]): void {
    this.next(Buffer.from(JSON.stringify({ errors })));
    this.complete();
  }

  complete(): void {
    if (this.ended) return;
    this.response.end(COMPLETE);
    this.cleanUp();
  }

  /** Ends the stream without a result, e.g. when the router shuts down. */
  close(): void {
    if (this.ended) return;
    this.response.end();
    this.cleanUp();
  }

  private next(payload: Buffer): void {
    if (this.ended) return;
    if (this.response.writableLength > this.host.highWaterMarkBytes) {
      this.host.counters.slowConsumersClosed += 1;
      this.host.logger.info(
        { unsentBytes: this.response.writableLength },
        'ended an event stream whose client stopped reading',
      );
      this.close();
      return;
    }
    this.response.write(Buffer.concat([NEXT, payload, END_OF_EVENT]));
    this.host.counters.delivered += 1;
  }

  private cleanUp(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.keepAlive);
    clearTimeout(this.expiry);
    this.stopOperation?.();
    this.stopOperation = undefined;
    this.host.forget(this);
  }
}
