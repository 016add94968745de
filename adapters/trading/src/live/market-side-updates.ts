import { LatestByKeyBuffer } from '@simple-securities/market-data-adapters';
import type { Logger } from '@simple-securities/service-kit';
import type {
  MarketSideReadModel,
  OrderBookView,
  PublicTradeView,
} from '@simple-securities/trading';
import type { BookBatch } from '../postgres/book-batch.js';

/** Trades one subscriber may have pending; past that, the oldest gives way. */
const PENDING_TRADES_PER_SUBSCRIBER = 256;

interface BookWatcher {
  readonly depth: number;
  readonly buffer: LatestByKeyBuffer<string, OrderBookView>;
  /** The book's sequence this subscriber last got: an older read never overtakes a newer one. */
  sequence: number;
}

/**
 * The live market side of this process's books (ADR 0025), read from the read models
 * after each append commits, so a subscriber sees what `orderBook` and `recentTrades`
 * would answer. Trades go out one by one in book order. Book changes are coalesced: the
 * first change of a symbol starts a short window, and when it ends each subscriber gets
 * the book as it is then, once, so a burst of orders costs one read and one message.
 * Each subscriber has a bounded mailbox; a slow one skips to the newest book.
 */
export class MarketSideUpdates {
  private readonly tradeWatchers = new Map<
    string,
    Set<LatestByKeyBuffer<string, PublicTradeView>>
  >();
  private readonly bookWatchers = new Map<string, Set<BookWatcher>>();
  private readonly windows = new Map<string, NodeJS.Timeout>();
  /** Per symbol, the trades read so far, in order: batches are read one after another. */
  private readonly tradeReads = new Map<string, Promise<void>>();
  /** Per symbol, the sequence of the last trade sent, so no trade goes out twice. */
  private readonly tradesSentThrough = new Map<string, number>();

  constructor(
    private readonly readModel: MarketSideReadModel,
    private readonly logger: Logger,
    private readonly bookWindowMs = 100,
  ) {}

  trades(symbol: string): AsyncIterableIterator<PublicTradeView> {
    const watchers = this.tradeWatchers.get(symbol) ?? new Set();
    this.tradeWatchers.set(symbol, watchers);
    const buffer = new LatestByKeyBuffer<string, PublicTradeView>(
      PENDING_TRADES_PER_SUBSCRIBER,
      () => {
        watchers.delete(buffer);
        if (watchers.size === 0) this.tradeWatchers.delete(symbol);
      },
    );
    watchers.add(buffer);
    return buffer;
  }

  /** The book as it is now, then as it changes. */
  books(symbol: string, depth: number): AsyncIterableIterator<OrderBookView> {
    const watchers = this.bookWatchers.get(symbol) ?? new Set();
    this.bookWatchers.set(symbol, watchers);
    const watcher: BookWatcher = {
      depth,
      buffer: new LatestByKeyBuffer<string, OrderBookView>(1, () => {
        watchers.delete(watcher);
        if (watchers.size === 0) this.bookWatchers.delete(symbol);
      }),
      sequence: -1,
    };
    watchers.add(watcher);
    this.readModel
      .orderBook(symbol, depth)
      .then((book) => offer(watcher, book))
      .catch((error: unknown) =>
        this.logger.warn(
          { err: error, symbol },
          'Could not read the order book for a new subscriber',
        ),
      );
    return watcher.buffer;
  }

  /** Given to the journal: called once each append has committed. Never throws. */
  readonly committed = (batch: BookBatch): void => {
    const { symbol } = batch.instrument;
    if (this.bookWatchers.has(symbol) && !this.windows.has(symbol))
      this.windows.set(
        symbol,
        setTimeout(() => {
          this.windows.delete(symbol);
          this.sendBook(symbol).catch((error: unknown) =>
            this.logger.warn(
              { err: error, symbol },
              'Could not read the order book for its subscribers',
            ),
          );
        }, this.bookWindowMs),
      );
    if (
      this.tradeWatchers.has(symbol) &&
      batch.events.some(({ type }) => type === 'TradeExecuted')
    ) {
      const previous = this.tradeReads.get(symbol) ?? Promise.resolve();
      const read = previous
        .then(() => this.sendTrades(symbol, batch.firstVersion))
        .catch((error: unknown) =>
          this.logger.warn(
            { err: error, symbol },
            'Could not read new trades for their subscribers',
          ),
        )
        .finally(() => {
          if (this.tradeReads.get(symbol) === read) this.tradeReads.delete(symbol);
        });
      this.tradeReads.set(symbol, read);
    }
  };

  /** Ends every subscription and pending window: the service is stopping. */
  close(): void {
    for (const window of this.windows.values()) clearTimeout(window);
    this.windows.clear();
    for (const watchers of [...this.tradeWatchers.values()])
      for (const buffer of [...watchers]) buffer.close();
    for (const watchers of [...this.bookWatchers.values()])
      for (const { buffer } of [...watchers]) buffer.close();
  }

  private async sendBook(symbol: string): Promise<void> {
    const watchers = this.bookWatchers.get(symbol);
    if (!watchers) return;
    const deepest = Math.max(...[...watchers].map(({ depth }) => depth));
    const book = await this.readModel.orderBook(symbol, deepest);
    for (const watcher of watchers) offer(watcher, book);
  }

  private async sendTrades(symbol: string, firstSequence: number): Promise<void> {
    const after = Math.max(firstSequence - 1, this.tradesSentThrough.get(symbol) ?? 0);
    const trades = await this.readModel.tradesSince(symbol, after);
    const last = trades.at(-1);
    if (last) this.tradesSentThrough.set(symbol, last.sequence);
    for (const trade of trades)
      for (const buffer of this.tradeWatchers.get(symbol) ?? []) buffer.push(trade.id, trade);
  }
}

/** Sends `book` cut to the subscriber's depth, unless it already has a newer one. */
const offer = (watcher: BookWatcher, book: OrderBookView): void => {
  if (book.sequence <= watcher.sequence) return;
  watcher.sequence = book.sequence;
  watcher.buffer.push(book.symbol, {
    ...book,
    bids: book.bids.slice(0, watcher.depth),
    asks: book.asks.slice(0, watcher.depth),
  });
};
