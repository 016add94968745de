import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';

export interface FrameWriterLimits {
  /** Above this many unsent bytes, a client gets the latest event per key instead of every event. */
  readonly highWaterMarkBytes: number;
  /** A client whose socket accepts nothing for this long is closed with 1013. */
  readonly slowConsumerGraceMs: number;
}

export interface DeliveryCounters {
  delivered: number;
  /** Events replaced by a newer one for the same key while their client was behind. */
  conflated: number;
  slowConsumersClosed: number;
}

const DRAIN_POLL_MS = 20;

/**
 * Writes one client's outgoing messages. Events arrive as whole, ready-made
 * frames and go straight to the TCP stream (one buffer, one write each); other
 * messages go through `ws`, which writes every frame of its own whole and at
 * once, so the two never interleave inside a frame.
 *
 * A client that falls behind never holds anyone else up: while its stream has
 * more than the high-water mark unsent, only the latest message per key is kept
 * for it, and one that accepts nothing for the grace period is given up on.
 */
export class FrameWriter {
  /** Messages not sent yet, as frames (events) or text (the rest). */
  private backlog: Map<string, Buffer | string> | undefined;
  private lastProgressAt = 0;
  private drainTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly stream: Duplex,
    private readonly limits: FrameWriterLimits,
    private readonly counters: DeliveryCounters,
    /** Called once when the client has accepted nothing for the grace period. */
    private readonly onStalled: (reason: string) => void,
  ) {}

  /**
   * Sends `message` of operation `id` now, or keeps it as the latest for its
   * conflation key while the client is behind. A buffer is an event's whole
   * frame; a string is a message for `ws` to frame.
   */
  write(message: Buffer | string, id: string, conflationKey?: string): void {
    // Sending on a closing socket only builds an error per message.
    if (this.stopped || this.socket.readyState !== this.socket.OPEN) return;
    if (!this.backlog) {
      if (this.stream.writableLength < this.limits.highWaterMarkBytes) {
        this.send(message);
        this.counters.delivered += 1;
        return;
      }
      this.backlog = new Map();
      this.lastProgressAt = Date.now();
      this.drainTimer = setInterval(() => this.drain(), DRAIN_POLL_MS);
    }
    // Built only here: the hot path above must not allocate a key per event.
    const key = conflationKey === undefined ? id : `${id}\u0000${conflationKey}`;
    if (this.backlog.has(key)) this.counters.conflated += 1;
    this.backlog.set(key, message);
  }

  /** Drops whatever is still unsent; nothing is written after this. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.drainTimer);
    this.backlog = undefined;
  }

  private send(message: Buffer | string): void {
    if (typeof message === 'string') this.socket.send(message);
    else this.stream.write(message);
  }

  private drain(): void {
    const backlog = this.backlog;
    if (!backlog || this.stopped || this.socket.readyState !== this.socket.OPEN) return;
    for (const [key, message] of backlog) {
      if (this.stream.writableLength >= this.limits.highWaterMarkBytes) break;
      backlog.delete(key);
      this.send(message);
      this.counters.delivered += 1;
      this.lastProgressAt = Date.now();
    }
    if (backlog.size === 0) {
      this.backlog = undefined;
      clearInterval(this.drainTimer);
    } else if (Date.now() - this.lastProgressAt > this.limits.slowConsumerGraceMs) {
      this.counters.slowConsumersClosed += 1;
      this.stop();
      this.onStalled(
        `Slow consumer: nothing could be sent for ${this.limits.slowConsumerGraceMs} ms; reconnect.`,
      );
    }
  }
}
