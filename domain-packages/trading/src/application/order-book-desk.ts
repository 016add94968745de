import { DomainError } from '@simple-securities/shared-kernel';
import type { Instrument } from '../domain/instrument.js';
import { MatchingEngine } from '../domain/matching-engine.js';
import type { OrderBookEvent, Side, TimeInForce } from '../domain/order-book-messages.js';
import { exactNotional, type FeeSchedule, settleTrade } from '../domain/notional.js';
import type { FundsPort, OrderBookJournal } from './ports.js';
import {
  baseUnitsOf,
  formatUnits,
  type SpotBookEvent,
  type SpotOrderPlaced,
} from './spot-order.js';

/** A spot order the edge has validated and converted to ticks and lots. */
export interface PlaceSpotOrder {
  readonly orderId: string;
  readonly userId: string;
  readonly clientOrderId: string;
  readonly side: Side;
  readonly orderType: 'limit' | 'market';
  readonly lots: number;
  /** Null for a market order. */
  readonly ticks: number | null;
  readonly timeInForce: TimeInForce;
}

export interface OrderBookDeskDependencies {
  readonly instrument: Instrument;
  readonly funds: FundsPort;
  readonly journal: OrderBookJournal;
  readonly fees: FeeSchedule;
  readonly clock: { now(): Date };
  readonly logger: { error(details: object, message: string): void };
  /** Told which orders changed, once their trades are settled and their leftovers given back. */
  readonly ordersChanged?: (orderIds: readonly string[]) => void;
}

/** What an open order still holds: `reserved − spent` goes back when it ends. */
interface Holding {
  readonly asset: string;
  readonly reserved: bigint;
  spent: bigint;
}

const ceilDiv = (numerator: bigint, denominator: bigint) =>
  (numerator + denominator - 1n) / denominator;

const isEngineEvent = (event: SpotBookEvent): event is OrderBookEvent =>
  event.type !== 'SpotOrderPlaced';

/** The orders an event changes, whose holdings may have to be given back. */
const ordersIn = (event: SpotBookEvent): string[] =>
  event.type === 'TradeExecuted'
    ? [event.makerOrderId, event.takerOrderId]
    : 'orderId' in event
      ? [event.orderId]
      : [];

/**
 * The single writer of one spot book (ADR 0018): it runs one command at a time, so the
 * reservation it makes, the events it appends and the book it holds never disagree.
 * A command reserves the funds, runs the matching engine, appends the events (the read
 * model follows in the same transaction), then settles each trade and gives back what
 * ended orders still hold. Restarting replays the stream.
 */
export class OrderBookDesk {
  private queue: Promise<unknown> = Promise.resolve();
  private engine = MatchingEngine.start();
  private version = 0;
  private holdings = new Map<string, Holding>();

  private constructor(private readonly dependencies: OrderBookDeskDependencies) {}

  static async open(dependencies: OrderBookDeskDependencies): Promise<OrderBookDesk> {
    const desk = new OrderBookDesk(dependencies);
    await desk.reload();
    return desk;
  }

  get instrument(): Instrument {
    return this.dependencies.instrument;
  }

  get symbol(): string {
    return this.dependencies.instrument.symbol;
  }

  /** Read-only: the live book, for queries that need it (depth, market cost). */
  get book() {
    return this.engine.book;
  }

  place(order: PlaceSpotOrder): Promise<void> {
    return this.serially(() => this.placeNow(order));
  }

  /** CONFLICT when the order has already ended. */
  cancel(orderId: string): Promise<void> {
    return this.serially(async () => {
      const events = this.engine.execute({ type: 'CancelOrder', orderId });
      const [first] = events;
      if (first?.type === 'CommandRejected')
        throw new DomainError('CONFLICT', 'The order is no longer open.', { orderId });
      await this.record(events);
    });
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    // A failed command must not stop the ones behind it.
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Rebuilds the book and the holdings from the stream. Commands run one at a time and
   * finish their settlements before the next starts, so only the last one recorded can
   * have been cut short (a crash): its settlements and give-backs are run again, which
   * their ids make safe.
   */
  private async reload(): Promise<void> {
    const { events, version, lastCommandEvents } = await this.dependencies.journal.load(
      this.symbol,
    );
    this.engine = MatchingEngine.recover(undefined, events.filter(isEngineEvent));
    this.holdings = new Map();
    const lastCommandAt = events.length - lastCommandEvents;
    for (const event of events.slice(0, lastCommandAt)) this.hold(event);
    this.version = version;
    await this.finish(events.slice(lastCommandAt), version - lastCommandEvents + 1);
    for (const orderId of this.holdings.keys())
      if (!this.engine.book.order(orderId)) this.holdings.delete(orderId);
  }

  private async placeNow(order: PlaceSpotOrder): Promise<void> {
    const { instrument, funds, clock } = this.dependencies;
    const buying = order.side === 'buy';
    const asset = buying ? instrument.quoteAsset : instrument.baseAsset;
    const scale = buying ? instrument.quoteScale : instrument.baseScale;
    const reservedUnits = buying ? this.maxCost(order) : baseUnitsOf(instrument, order.lots);
    if (reservedUnits > 0n)
      await funds.reserve({
        userId: order.userId,
        asset,
        amount: formatUnits(reservedUnits, scale),
        reservationId: order.orderId,
      });
    const placed: SpotOrderPlaced = {
      type: 'SpotOrderPlaced',
      orderId: order.orderId,
      userId: order.userId,
      clientOrderId: order.clientOrderId,
      symbol: instrument.symbol,
      side: order.side,
      orderType: order.orderType,
      timeInForce: order.timeInForce,
      quantity: order.lots,
      price: order.ticks,
      reservedAsset: asset,
      reservedUnits: reservedUnits.toString(),
      placedAt: clock.now().toISOString(),
    };
    const decided = this.engine.execute({
      type: 'PlaceOrder',
      orderId: order.orderId,
      accountId: order.userId,
      side: order.side,
      orderType: order.orderType,
      quantity: order.lots,
      price: order.ticks ?? undefined,
      timeInForce: order.timeInForce,
    });
    await this.record([placed, ...decided]);
  }

  /**
   * The most a buy can cost in quote minor units: its notional at the limit (a market
   * order: walking the asks it would take now) plus the higher fee, plus one minor unit
   * per lot for each fill's notional and fee rounding up (ADR 0014). The rest is given back.
   */
  private maxCost(order: PlaceSpotOrder): bigint {
    const { instrument, fees } = this.dependencies;
    const levels =
      order.ticks === null
        ? this.engine.book.depth('sell')
        : [{ price: order.ticks, quantity: order.lots }];
    let lotsLeft = order.lots;
    let numerator = 0n;
    let denominator = 1n;
    for (const level of levels) {
      if (lotsLeft === 0) break;
      const lots = Math.min(lotsLeft, level.quantity);
      const notional = exactNotional(instrument, level.price, lots);
      // Denominators are powers of ten of one instrument: all the same.
      numerator += notional.numerator;
      denominator = notional.denominator;
      lotsLeft -= lots;
    }
    const lotsTaken = BigInt(order.lots - lotsLeft);
    if (lotsTaken === 0n) return 0n;
    const rate =
      fees.taker.units * 10n ** BigInt(fees.maker.scale) >
      fees.maker.units * 10n ** BigInt(fees.taker.scale)
        ? fees.taker
        : fees.maker;
    const fee = ceilDiv(numerator * rate.units, denominator * 10n ** BigInt(rate.scale));
    return ceilDiv(numerator, denominator) + fee + 2n * lotsTaken;
  }

  /** Appends, then settles the trades and gives back what ended orders still hold. */
  private async record(events: readonly SpotBookEvent[]): Promise<void> {
    const firstVersion = this.version + 1;
    try {
      await this.dependencies.journal.append(this.symbol, events, this.version);
    } catch (error) {
      // The engine already folded the events: start again from what the stream holds.
      const [placed] = events;
      await this.reload();
      if (placed?.type === 'SpotOrderPlaced' && BigInt(placed.reservedUnits) > 0n)
        await this.giveBack(placed.orderId, placed.reservedAsset, BigInt(placed.reservedUnits));
      throw error;
    }
    this.version += events.length;
    await this.finish(events, firstVersion);
  }

  /** Settles a recorded command's trades and gives back what the orders it ended still hold. */
  private async finish(events: readonly SpotBookEvent[], firstVersion: number): Promise<void> {
    const touched = new Set<string>();
    for (const [index, event] of events.entries()) {
      this.hold(event);
      if (event.type === 'TradeExecuted') await this.settle(event, firstVersion + index);
      for (const orderId of ordersIn(event)) touched.add(orderId);
    }
    for (const orderId of touched) {
      const holding = this.holdings.get(orderId);
      if (!holding || this.engine.book.order(orderId)) continue;
      this.holdings.delete(orderId);
      const left = holding.reserved - holding.spent;
      if (left > 0n) await this.giveBack(orderId, holding.asset, left);
    }
    this.dependencies.ordersChanged?.([...touched]);
  }

  /** Tracks what each open order holds and has spent. */
  private hold(event: SpotBookEvent): void {
    const { instrument, fees } = this.dependencies;
    if (event.type === 'SpotOrderPlaced') {
      this.holdings.set(event.orderId, {
        asset: event.reservedAsset,
        reserved: BigInt(event.reservedUnits),
        spent: 0n,
      });
    } else if (event.type === 'TradeExecuted') {
      const money = settleTrade(instrument, event, fees);
      const [buyer, seller] = this.buyerAndSeller(event);
      const buying = this.holdings.get(buyer);
      const selling = this.holdings.get(seller);
      if (buying) buying.spent += money.buyerPays;
      if (selling) selling.spent += money.baseQuantity;
    }
  }

  private buyerAndSeller(trade: {
    takerSide: Side;
    takerOrderId: string;
    makerOrderId: string;
  }): [buyerOrder: string, sellerOrder: string] {
    return trade.takerSide === 'buy'
      ? [trade.takerOrderId, trade.makerOrderId]
      : [trade.makerOrderId, trade.takerOrderId];
  }

  private async settle(
    trade: Extract<OrderBookEvent, { type: 'TradeExecuted' }>,
    streamVersion: number,
  ): Promise<void> {
    const { instrument, fees, funds, logger } = this.dependencies;
    const money = settleTrade(instrument, trade, fees);
    const [buyerOrder, sellerOrder] = this.buyerAndSeller(trade);
    const buyer = trade.takerSide === 'buy' ? trade.takerAccountId : trade.makerAccountId;
    const seller = trade.takerSide === 'buy' ? trade.makerAccountId : trade.takerAccountId;
    const quote = (units: bigint) => formatUnits(units, instrument.quoteScale);
    const base = formatUnits(money.baseQuantity, instrument.baseScale);
    const paidToSeller = money.sellerReceives > 0n;
    const settlementId = `${this.symbol}:${streamVersion}`;
    try {
      await funds.settle({
        settlementId,
        debits: [
          { reservationId: sellerOrder, amount: base },
          ...(paidToSeller
            ? [{ reservationId: buyerOrder, amount: quote(money.sellerReceives) }]
            : []),
        ],
        credits: [
          { userId: buyer, asset: instrument.baseAsset, amount: base },
          ...(paidToSeller
            ? [
                {
                  userId: seller,
                  asset: instrument.quoteAsset,
                  amount: quote(money.sellerReceives),
                },
              ]
            : []),
        ],
        fees:
          money.platformReceives > 0n
            ? [{ reservationId: buyerOrder, amount: quote(money.platformReceives) }]
            : [],
      });
    } catch (error) {
      // The trade stands in the book; settling again with the same id is safe.
      logger.error({ err: error, settlementId }, `Settling trade ${settlementId} failed`);
    }
  }

  private async giveBack(orderId: string, asset: string, units: bigint): Promise<void> {
    const { instrument, funds, logger } = this.dependencies;
    const scale = asset === instrument.quoteAsset ? instrument.quoteScale : instrument.baseScale;
    try {
      await funds.release({
        reservationId: orderId,
        amount: formatUnits(units, scale),
        releaseId: `${orderId}:end`,
      });
    } catch (error) {
      logger.error({ err: error, orderId }, `Giving back what order ${orderId} held failed`);
    }
  }
}
