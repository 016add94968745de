import type {
  OrderAccepted,
  OrderType,
  SelfTradePrevention,
  Side,
  TimeInForce,
} from './order-book-messages.js';
import type { PriceLevel } from './price-level.js';
import { NO_SLOT } from './queue-links.js';

/**
 * A live order inside the book: resting on a level, waiting for its stop, or taking
 * during the command that placed it. Mutable on purpose: only the book's `apply` (the
 * in-place `evolve`) writes it. While it rests, `slot` is its place in its side's queue
 * links (ADR 0029).
 */
export class BookOrder {
  remaining: number;
  filled = 0;
  triggered = false;
  level: PriceLevel | null = null;
  slot = NO_SLOT;

  constructor(
    readonly orderId: string,
    readonly accountId: string,
    readonly side: Side,
    readonly orderType: OrderType,
    public quantity: number,
    public price: number | null,
    readonly stopPrice: number | null,
    readonly timeInForce: TimeInForce,
    readonly postOnly: boolean,
    readonly selfTradePrevention: SelfTradePrevention,
    public sequence: number,
  ) {
    this.remaining = quantity;
  }

  static accepted(event: OrderAccepted): BookOrder {
    return new BookOrder(
      event.orderId,
      event.accountId,
      event.side,
      event.orderType,
      event.quantity,
      event.price,
      event.stopPrice,
      event.timeInForce,
      event.postOnly,
      event.selfTradePrevention,
      event.sequence,
    );
  }

  get isStop(): boolean {
    return this.orderType === 'stop' || this.orderType === 'stop-limit';
  }

  /** Limit orders (and triggered stop-limits) that are GTC or DAY rest; the rest never do. */
  get rests(): boolean {
    return this.price !== null && (this.timeInForce === 'GTC' || this.timeInForce === 'DAY');
  }

  get waitsForTrigger(): boolean {
    return this.isStop && !this.triggered;
  }
}
