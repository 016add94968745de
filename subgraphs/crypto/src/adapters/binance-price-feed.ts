import WebSocket from 'ws';
import type { Logger } from 'pino';
import type { Instrument, PriceFeed, TickListener } from '@simple-securities/market-data';
import { type BinanceStream, BinanceFrameDecoder, streamName } from './binance-frames.js';

export interface BinancePriceFeedOptions {
  /** Base URL of the stream server, e.g. `wss://stream.binance.com:9443`. */
  readonly url: string;
  readonly instruments: readonly Instrument[];
  readonly stream: BinanceStream;
  /** A connection silent for this long (no frame, no ping) is treated as dead. */
  readonly staleAfterMs: number;
  readonly logger: Logger;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly random?: () => number;
}

/**
 * Live trades from Binance's combined stream. The server pings every few
 * seconds and `ws` answers with pongs; any frame or ping proves the connection
 * alive. A dropped or silent connection is replaced after an exponential
 * backoff with jitter, subscribing again to the same streams.
 */
export class BinancePriceFeed implements PriceFeed {
  private socket: WebSocket | undefined;
  private staleTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = true;
  /** Connected, and heard from within `staleAfterMs`. */
  private live = false;
  /** Connections opened so far; tests and logs use it. */
  connections = 0;

  constructor(private readonly options: BinancePriceFeedOptions) {}

  /** The combined-stream URL; Binance wants the stream names joined by unescaped slashes. */
  get streamUrl(): string {
    const streams = this.options.instruments
      .filter((instrument) => instrument.status === 'TRADING')
      .map((instrument) => streamName(instrument, this.options.stream));
    return `${this.options.url.replace(/\/+$/, '')}/stream?streams=${streams.join('/')}`;
  }

  async start(onTick: TickListener): Promise<void> {
    this.stopped = false;
    this.connect(onTick);
  }

  isLive(): boolean {
    return this.live;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.live = false;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.staleTimer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.terminate();
      });
    }
  }

  private connect(onTick: TickListener): void {
    const { logger } = this.options;
    const decoder = new BinanceFrameDecoder(this.options.instruments);
    const socket = new WebSocket(this.streamUrl);
    this.socket = socket;
    this.connections += 1;

    const alive = () => {
      clearTimeout(this.staleTimer);
      this.staleTimer = setTimeout(() => {
        this.live = false;
        logger.warn(
          { staleAfterMs: this.options.staleAfterMs },
          'Binance stream went silent; reconnecting',
        );
        socket.terminate();
      }, this.options.staleAfterMs);
    };

    let lastError: Error | undefined;
    socket.on('open', () => {
      this.live = true;
      logger.info({ url: this.streamUrl }, 'connected to the Binance stream');
      alive();
    });
    socket.on('ping', () => {
      this.live = true;
      alive();
    });
    socket.on('message', (data) => {
      this.live = true;
      alive();
      this.failures = 0;
      try {
        const tick = decoder.decode(data.toString());
        if (tick) onTick(tick);
      } catch (error) {
        logger.warn(
          { err: error },
          'skipping a Binance frame that is not in the documented format',
        );
      }
    });
    // Always followed by 'close', which retries; the error says why in that line.
    socket.on('error', (error) => {
      lastError = error;
    });
    socket.on('close', (code) => {
      const wasOpen = this.live;
      this.live = false;
      clearTimeout(this.staleTimer);
      if (this.stopped || this.socket !== socket) return;
      const delay = this.nextDelay();
      const reason = lastError?.message ?? `closed with code ${code}`;
      logger.warn(
        { url: this.options.url, code, reason, retryInMs: delay },
        wasOpen
          ? `Binance stream lost (${reason}); prices are stale until it is back; reconnecting in ${delay} ms`
          : `Binance stream unreachable (${reason}); serving the last known prices as stale; retrying in ${delay} ms`,
      );
      this.reconnectTimer = setTimeout(() => this.connect(onTick), delay);
    });
  }

  /** Doubles per consecutive failure up to the cap, with jitter so many clients do not retry in step. */
  private nextDelay(): number {
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    const ceiling = Math.min(maxMs, initialMs * 2 ** this.failures);
    this.failures += 1;
    const random = this.options.random ?? Math.random;
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }
}
