import { type Clock, isDomainError } from '@simple-securities/shared-kernel';
import {
  movedBeyond,
  type QuotingPolicy,
  quoteChanges,
  quotesAround,
  referenceTicksOf,
  type RestingQuote,
} from '../domain/liquidity-quotes.js';
import type { cancelOrder } from './commands/cancel-order.js';
import type { placeOrder, SpotDesks } from './commands/place-order.js';
import type { LastPrices } from './market-side-ports.js';
import type { MarketSession } from './ports.js';
import { priceText, quantityText } from './spot-order.js';

export interface LiquidityProviderDependencies {
  /** The provider's own account, funded in core like any other. */
  readonly userId: string;
  readonly symbols: readonly string[];
  readonly desks: SpotDesks;
  /** The same use cases users' orders go through. */
  readonly place: ReturnType<typeof placeOrder>;
  readonly cancel: ReturnType<typeof cancelOrder>;
  /** The reference prices: the context's market data. */
  readonly lastPrices: LastPrices;
  readonly sessionOf: (symbol: string) => MarketSession;
  readonly policy: QuotingPolicy;
  /** How far, in basis points, the reference moves before the quotes follow it. */
  readonly requoteBps: number;
  readonly newClientOrderId: () => string;
  readonly clock: Clock;
  readonly logger: {
    info(details: object, message: string): void;
    warn(details: object, message: string): void;
  };
}

/**
 * What kind of failure an error is: its code (a domain error's, a gRPC status), since
 * a message can differ each time (a deadline's names its timings).
 */
const failureKind = (error: unknown): string => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : String(error);
};

/**
 * A market maker that trades by the users' rules from its own account: each pass, for
 * each book in turn, it sets its quotes around the market data's last price (and leaves
 * them until that price moves beyond the threshold), keeping what already rests as
 * wanted. While a market is closed it takes its quotes out. A book it cannot quote is
 * reported and tried again next pass; the other books go on.
 */
export class LiquidityProvider {
  /** The reference each book's quotes were last set around, in ticks. */
  private readonly anchors = new Map<string, number>();
  /** Why each book's last pass failed, by error code: a lasting failure is reported once. */
  private readonly failing = new Map<string, string>();

  constructor(private readonly dependencies: LiquidityProviderDependencies) {}

  /**
   * One pass over every book, one order at a time so the provider never crowds out the
   * users' orders; given up between orders once `signal` aborts. Never throws.
   */
  async quoteAll(signal?: AbortSignal): Promise<void> {
    for (const symbol of this.dependencies.symbols) {
      if (signal?.aborted) return;
      await this.quoteSafely(symbol, signal);
    }
  }

  private async quoteSafely(symbol: string, signal: AbortSignal | undefined): Promise<void> {
    const { logger } = this.dependencies;
    try {
      await this.quote(symbol, signal);
      if (this.failing.delete(symbol))
        logger.info({ symbol }, `the liquidity provider quotes ${symbol} again`);
    } catch (error) {
      const kind = failureKind(error);
      if (this.failing.get(symbol) === kind) return;
      this.failing.set(symbol, kind);
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn(
        { err: error, symbol },
        `the liquidity provider could not quote ${symbol} (${reason}); it tries again on each pass`,
      );
    }
  }

  private async quote(symbol: string, signal: AbortSignal | undefined): Promise<void> {
    const { userId, desks, lastPrices, sessionOf, clock, policy, requoteBps } = this.dependencies;
    const desk = desks.desk(symbol);
    const resting: RestingQuote[] = desk.book
      .ordersOf(userId)
      .flatMap(({ orderId, side, price, remaining }) =>
        price === null ? [] : [{ orderId, side, ticks: price, lots: remaining }],
      );
    if (!sessionOf(symbol).isOpen(clock.now())) {
      this.anchors.delete(symbol);
      await this.cancelAll(resting.map((order) => order.orderId));
      return;
    }
    const last = await lastPrices.lastPrice(symbol);
    if (!last) return;
    const reference = referenceTicksOf(desk.instrument, last.price);
    const anchor = this.anchors.get(symbol);
    const around =
      anchor === undefined || movedBeyond(anchor, reference, requoteBps) ? reference : anchor;
    const changes = quoteChanges(resting, quotesAround(desk.instrument, around, policy));
    await this.cancelAll(changes.cancel);
    for (const quote of changes.place) {
      if (signal?.aborted) return;
      await this.dependencies.place({
        userId,
        clientOrderId: this.dependencies.newClientOrderId(),
        symbol,
        side: quote.side,
        orderType: 'limit',
        quantity: quantityText(desk.instrument, quote.lots),
        price: priceText(desk.instrument, quote.ticks),
        timeInForce: 'GTC',
      });
    }
    this.anchors.set(symbol, around);
  }

  private async cancelAll(orderIds: readonly string[]): Promise<void> {
    const { userId, cancel } = this.dependencies;
    for (const orderId of orderIds)
      await cancel(userId, orderId).catch((error: unknown) => {
        // A quote filled since the book was read has nothing left to cancel.
        if (!(isDomainError(error) && error.code === 'CONFLICT')) throw error;
      });
  }
}
