import { DomainError } from '@simple-securities/shared-kernel';
import type { Instrument } from '../domain/instrument.js';
import { MatchingEngine } from '../domain/matching-engine.js';
import type {
  OrderBookEvent,
  OrderType,
  RejectionReason,
  Side,
  TimeInForce,
  TradeExecuted,
} from '../domain/order-book-messages.js';
import { exactNotional, type FeeSchedule, settleTrade } from '../domain/notional.js';
import {
  DEFAULT_RETRY_BACKOFF,
  PendingMoneyMovements,
  type RetryBackoff,
} from './pending-money-movements.js';
import type { FundsPort, MarketSession, OrderBookJournal, ScheduleAt } from './ports.js';
import {
  baseUnitsOf,
  formatUnits,
  type SpotBookEvent,
  type SpotOrderPlaced,
  type SpotOrderReleased,
  type SpotOrderReserved,
} from './spot-order.js';

/** A spot order the edge has validated and converted to ticks and lots. */
export interface PlaceSpotOrder {
  readonly orderId: string;
  readonly userId: string;
  readonly clientOrderId: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly lots: number;
  /** The limit; null for a market or stop order. */
  readonly ticks: number | null;
  /** The trigger; null unless a stop or stop-limit order. */
  readonly stopTicks: number | null;
  readonly timeInForce: TimeInForce;
}

/** A change to a resting limit order, in lots (fills included) and ticks. */
export interface AmendSpotOrder {
  readonly orderId: string;
  readonly lots?: number | undefined;
  readonly ticks?: number | undefined;
}

export interface OrderBookDeskDependencies {
  readonly instrument: Instrument;
  readonly funds: FundsPort;
  readonly journal: OrderBookJournal;
  readonly fees: FeeSchedule;
  readonly clock: { now(): Date };
  /** When orders are taken, and the session closes at which DAY orders expire. */
  readonly session: MarketSession;
  readonly scheduleAt: ScheduleAt;
  readonly logger: { error(details: object, message: string): void };
  /** Told which orders changed, once their trades are settled and their leftovers given back. */
  readonly ordersChanged?: (orderIds: readonly string[]) => void;
  /** How settlements and give-backs that core refused are retried (ADR 0030). */
  readonly retryBackoff?: RetryBackoff;
  /** The jitter of those retries, in [0, 1). */
  readonly random?: () => number;
}

/** One reservation in core behind an order: `units − used` is still held. */
interface Reservation {
  readonly id: string;
  readonly units: bigint;
  /** Settled or given back so far. */
  used: bigint;
}

/**
 * What an open order holds: the reservation made when it was placed, then one per
 * amendment that raised its cost. What is unused goes back when it ends.
 */
interface Holding {
  readonly asset: string;
  readonly reservations: Reservation[];
  readonly timeInForce: TimeInForce;
  readonly placedAt: Date;
}

/** Part of an amount drawn on one reservation. */
interface Draw {
  readonly reservationId: string;
  readonly units: bigint;
}

const smaller = (a: bigint, b: bigint) => (a < b ? a : b);

const heldBy = (holding: Holding) =>
  holding.reservations.reduce((held, reservation) => held + reservation.units, 0n);

const usedBy = (holding: Holding) =>
  holding.reservations.reduce((used, reservation) => used + reservation.used, 0n);

/** Why an engine refused an amendment, in the caller's words and code. */
const amendRefusal = (reason: RejectionReason, detail: string, orderId: string): DomainError =>
  reason === 'UNKNOWN_ORDER'
    ? new DomainError('CONFLICT', 'The order is no longer open.', { orderId })
    : new DomainError('BAD_USER_INPUT', `The order cannot be amended: ${detail}.`, { orderId });

const ceilDiv = (numerator: bigint, denominator: bigint) =>
  (numerator + denominator - 1n) / denominator;

const isEngineEvent = (event: SpotBookEvent): event is OrderBookEvent =>
  event.type !== 'SpotOrderPlaced' &&
  event.type !== 'SpotOrderReserved' &&
  event.type !== 'SpotOrderReleased';

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
 * ended orders still hold. Restarting replays the stream. It also ends the DAY orders at
 * each close of its market's session (ADR 0024).
 */
export class OrderBookDesk {
  private queue: Promise<unknown> = Promise.resolve();
  private engine = MatchingEngine.start();
  private version = 0;
  private holdings = new Map<string, Holding>();
  private cancelExpiry: () => void = () => undefined;
  private closed = false;
  private readonly movements: PendingMoneyMovements;

  private constructor(private readonly dependencies: OrderBookDeskDependencies) {
    const { journal, instrument, logger } = dependencies;
    this.movements = new PendingMoneyMovements({
      backoff: dependencies.retryBackoff ?? DEFAULT_RETRY_BACKOFF,
      random: dependencies.random ?? Math.random,
      logger,
      recordBacklog: (unsettledFrom) => journal.recordUnsettled(instrument.symbol, unsettledFrom),
    });
  }

  static async open(dependencies: OrderBookDeskDependencies): Promise<OrderBookDesk> {
    const desk = new OrderBookDesk(dependencies);
    await desk.reload();
    await desk.expireMissedClose();
    desk.scheduleExpiry(dependencies.clock.now());
    return desk;
  }

  /**
   * Stops the session-close schedule and the retries, and waits for the command in hand.
   * What core still owes stays recorded for the next start.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.cancelExpiry();
    await this.queue;
    await this.movements.close();
  }

  /** How many settlements and give-backs core has not confirmed yet; they are being retried. */
  get owedToCore(): number {
    return this.movements.size;
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

  /**
   * Changes a resting limit order's quantity or price. A costlier order reserves the
   * difference before the book sees the change; a cheaper one gives it back after.
   */
  amend(change: AmendSpotOrder): Promise<void> {
    return this.serially(async () => {
      this.requireOpenMarket();
      const order = this.engine.book.order(change.orderId);
      const holding = this.holdings.get(change.orderId);
      if (!order || !holding)
        throw new DomainError('CONFLICT', 'The order is no longer open.', {
          orderId: change.orderId,
        });
      const lotsLeft = (change.lots ?? order.quantity) - order.filled;
      const price = change.ticks ?? order.price;
      const needed =
        price === null || lotsLeft <= 0
          ? heldBy(holding)
          : usedBy(holding) + this.mostItCanTake(order.side, price, lotsLeft);
      const topUp = needed - heldBy(holding);
      const reserved: SpotOrderReserved | undefined =
        topUp > 0n
          ? {
              type: 'SpotOrderReserved',
              orderId: order.orderId,
              reservationId: `${order.orderId}:${this.version + 1}`,
              reservedUnits: topUp.toString(),
            }
          : undefined;
      if (reserved) await this.reserve(order.accountId, holding.asset, reserved);
      const decided = this.engine.execute({
        type: 'AmendOrder',
        orderId: order.orderId,
        quantity: change.lots,
        price: change.ticks,
      });
      const [first] = decided;
      if (first?.type === 'CommandRejected') {
        if (reserved) await this.giveBack(reserved.reservationId, holding.asset, topUp, undefined);
        throw amendRefusal(first.reason, first.detail, order.orderId);
      }
      const released: SpotOrderReleased[] =
        topUp < 0n
          ? [
              {
                type: 'SpotOrderReleased',
                orderId: order.orderId,
                releasedUnits: (-topUp).toString(),
              },
            ]
          : [];
      await this.record([...(reserved ? [reserved] : []), ...decided, ...released]);
    });
  }

  /** Ends every DAY order of the book, as at the session close `at`; their funds go back. */
  expireDayOrders(at: Date): Promise<void> {
    return this.serially(async () => {
      const events = this.engine.execute({ type: 'ExpireDayOrders', at: at.toISOString() });
      if (events.length > 0) await this.record(events);
    });
  }

  /** Expires the DAY orders at the first session close after `after`, then at the next. */
  private scheduleExpiry(after: Date): void {
    const { session, scheduleAt, logger } = this.dependencies;
    const close = session.nextCloseAfter(after);
    if (!close || this.closed) return;
    this.cancelExpiry = scheduleAt(close, () =>
      this.expireDayOrders(close)
        .catch((error: unknown) =>
          logger.error(
            { err: error, symbol: this.symbol },
            `Expiring ${this.symbol}'s DAY orders failed`,
          ),
        )
        // One millisecond on, the session that just closed is behind us.
        .finally(() => this.scheduleExpiry(new Date(close.getTime() + 1))),
    );
  }

  /**
   * A close that passed while the desk was down: its DAY orders are over. A session-
   * closed market takes no orders, so every DAY order left was placed before it.
   */
  private async expireMissedClose(): Promise<void> {
    const { session, clock } = this.dependencies;
    const placedAt = [...this.holdings.values()]
      .filter((holding) => holding.timeInForce === 'DAY')
      .map((holding) => holding.placedAt.getTime());
    if (placedAt.length === 0) return;
    const close = session.nextCloseAfter(new Date(Math.min(...placedAt)));
    if (close && close <= clock.now()) await this.expireDayOrders(close);
  }

  private requireOpenMarket(): void {
    if (!this.dependencies.session.isOpen(this.dependencies.clock.now()))
      throw new DomainError(
        'MARKET_CLOSED',
        `The market for ${this.symbol} is closed; orders are taken during its session.`,
        { symbol: this.symbol },
      );
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    // A failed command must not stop the ones behind it.
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Rebuilds the book and the holdings from the stream. The settlements and give-backs
   * that may not have been made run again, which their ids make safe: those from the
   * first command core still owed (recorded when one failed) and those of the last
   * command, which a crash may have cut short (ADR 0030).
   */
  private async reload(): Promise<void> {
    const { events, version, lastCommandEvents, unsettledFrom } =
      await this.dependencies.journal.load(this.symbol);
    this.engine = MatchingEngine.recover(undefined, events.filter(isEngineEvent));
    this.holdings = new Map();
    this.movements.recordedAs(unsettledFrom);
    const settleFrom = Math.min(unsettledFrom ?? Infinity, version - lastCommandEvents + 1);
    for (const event of events.slice(0, settleFrom - 1)) this.fold(event);
    this.version = version;
    await this.finish(events.slice(settleFrom - 1), settleFrom);
    for (const orderId of this.holdings.keys())
      if (!this.engine.book.order(orderId)) this.holdings.delete(orderId);
  }

  private async placeNow(order: PlaceSpotOrder): Promise<void> {
    const { instrument, funds, clock, session } = this.dependencies;
    this.requireOpenMarket();
    if (order.timeInForce === 'DAY' && !session.nextCloseAfter(clock.now()))
      throw new DomainError(
        'BAD_USER_INPUT',
        `${this.symbol} trades around the clock: no session close would expire a DAY order; use GTC.`,
      );
    const buying = order.side === 'buy';
    const asset = buying ? instrument.quoteAsset : instrument.baseAsset;
    const scale = buying ? instrument.quoteScale : instrument.baseScale;
    const reservedUnits = this.mostItCanTake(order.side, order.ticks, order.lots);
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
      stopPrice: order.stopTicks,
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
      stopPrice: order.stopTicks ?? undefined,
      timeInForce: order.timeInForce,
    });
    await this.record([placed, ...decided]);
  }

  private async reserve(userId: string, asset: string, event: SpotOrderReserved): Promise<void> {
    const { instrument, funds } = this.dependencies;
    const scale = asset === instrument.quoteAsset ? instrument.quoteScale : instrument.baseScale;
    await funds.reserve({
      userId,
      asset,
      amount: formatUnits(BigInt(event.reservedUnits), scale),
      reservationId: event.reservationId,
    });
  }

  /**
   * What an order of `lots` must hold in minor units: a sell its base quantity, a buy
   * the most it can cost (`maxCost`).
   */
  private mostItCanTake(side: Side, ticks: number | null, lots: number): bigint {
    return side === 'sell' ? baseUnitsOf(this.instrument, lots) : this.maxCost(ticks, lots);
  }

  /**
   * The most a buy can cost in quote minor units: its notional at the limit (a market
   * order: walking the asks it would take now) plus the higher fee, plus one minor unit
   * per lot for each fill's notional and fee rounding up (ADR 0014). The rest is given back.
   */
  private maxCost(ticks: number | null, lots: number): bigint {
    const { instrument, fees } = this.dependencies;
    const levels =
      ticks === null ? this.engine.book.depth('sell') : [{ price: ticks, quantity: lots }];
    let lotsLeft = lots;
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
    const lotsTaken = BigInt(lots - lotsLeft);
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
      // The engine already folded the events: start again from what the stream holds,
      // and give back what this command reserved for a book that never saw it.
      const holdingsBefore = this.holdings;
      await this.reload();
      for (const event of events) {
        if (event.type === 'SpotOrderPlaced' && BigInt(event.reservedUnits) > 0n)
          await this.giveBack(
            event.orderId,
            event.reservedAsset,
            BigInt(event.reservedUnits),
            undefined,
          );
        const asset =
          event.type === 'SpotOrderReserved' && holdingsBefore.get(event.orderId)?.asset;
        if (event.type === 'SpotOrderReserved' && asset)
          await this.giveBack(event.reservationId, asset, BigInt(event.reservedUnits), undefined);
      }
      throw error;
    }
    this.version += events.length;
    await this.finish(events, firstVersion);
  }

  /**
   * Settles recorded commands' trades and gives back what the orders they ended still
   * hold; what core refuses is owed from `firstVersion` on, retried, and recorded as owed.
   */
  private async finish(events: readonly SpotBookEvent[], firstVersion: number): Promise<void> {
    const touched = new Set<string>();
    for (const [index, event] of events.entries()) {
      const streamVersion = firstVersion + index;
      if (event.type === 'TradeExecuted') await this.settle(event, streamVersion, firstVersion);
      else if (event.type === 'SpotOrderReleased')
        await this.releaseAmended(event, streamVersion, firstVersion);
      else this.fold(event);
      for (const orderId of ordersIn(event)) touched.add(orderId);
    }
    for (const orderId of touched) {
      const holding = this.holdings.get(orderId);
      if (!holding || this.engine.book.order(orderId)) continue;
      this.holdings.delete(orderId);
      for (const reservation of holding.reservations) {
        const left = reservation.units - reservation.used;
        if (left > 0n) await this.giveBack(reservation.id, holding.asset, left, firstVersion);
      }
    }
    await this.movements.recordBacklog();
    this.dependencies.ordersChanged?.([...touched]);
  }

  /** Folds an event into what each open order holds and has used, without moving money. */
  private fold(event: SpotBookEvent): void {
    switch (event.type) {
      case 'SpotOrderPlaced':
        this.holdings.set(event.orderId, {
          asset: event.reservedAsset,
          reservations: [{ id: event.orderId, units: BigInt(event.reservedUnits), used: 0n }],
          timeInForce: event.timeInForce,
          placedAt: new Date(event.placedAt),
        });
        break;
      case 'SpotOrderReserved':
        this.holdings.get(event.orderId)?.reservations.push({
          id: event.reservationId,
          units: BigInt(event.reservedUnits),
          used: 0n,
        });
        break;
      case 'SpotOrderReleased':
        this.draw(event.orderId, BigInt(event.releasedUnits));
        break;
      case 'TradeExecuted':
        this.drawTrade(event);
        break;
      default:
        break;
    }
  }

  /**
   * Takes `units` out of an order's reservations, oldest first, and says how much from
   * each. More than they hold is charged to the newest, for core to refuse.
   */
  private draw(orderId: string, units: bigint): Draw[] {
    const reservations = this.holdings.get(orderId)?.reservations ?? [
      { id: orderId, units: 0n, used: 0n },
    ];
    const draws: Draw[] = [];
    let left = units;
    for (const [index, reservation] of reservations.entries()) {
      const isLast = index === reservations.length - 1;
      const part = isLast ? left : smaller(reservation.units - reservation.used, left);
      if (part <= 0n) continue;
      reservation.used += part;
      left -= part;
      draws.push({ reservationId: reservation.id, units: part });
    }
    return draws;
  }

  /** What a trade takes out of the buyer's and the seller's reservations. */
  private drawTrade(trade: TradeExecuted) {
    const money = settleTrade(this.instrument, trade, this.dependencies.fees);
    const [buyerOrder, sellerOrder] = this.buyerAndSeller(trade);
    return {
      money,
      base: this.draw(sellerOrder, money.baseQuantity),
      toSeller: this.draw(buyerOrder, money.sellerReceives),
      fee: this.draw(buyerOrder, money.platformReceives),
    };
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

  private async settle(trade: TradeExecuted, streamVersion: number, since: number): Promise<void> {
    const { instrument, funds } = this.dependencies;
    const { money, base, toSeller, fee } = this.drawTrade(trade);
    const buyer = trade.takerSide === 'buy' ? trade.takerAccountId : trade.makerAccountId;
    const seller = trade.takerSide === 'buy' ? trade.makerAccountId : trade.takerAccountId;
    const quote = (units: bigint) => formatUnits(units, instrument.quoteScale);
    const inQuote = ({ reservationId, units }: Draw) => ({ reservationId, amount: quote(units) });
    const settlementId = `${this.symbol}:${streamVersion}`;
    const request: Parameters<FundsPort['settle']>[0] = {
      settlementId,
      debits: [
        ...base.map(({ reservationId, units }) => ({
          reservationId,
          amount: formatUnits(units, instrument.baseScale),
        })),
        ...toSeller.map(inQuote),
      ],
      credits: [
        {
          userId: buyer,
          asset: instrument.baseAsset,
          amount: formatUnits(money.baseQuantity, instrument.baseScale),
        },
        ...(money.sellerReceives > 0n
          ? [
              {
                userId: seller,
                asset: instrument.quoteAsset,
                amount: quote(money.sellerReceives),
              },
            ]
          : []),
      ],
      fees: fee.map(inQuote),
    };
    await this.movements.make({ id: settlementId, since, move: () => funds.settle(request) });
  }

  /** Gives back what an amendment made an order no longer need. */
  private async releaseAmended(
    event: SpotOrderReleased,
    streamVersion: number,
    since: number,
  ): Promise<void> {
    const asset = this.holdings.get(event.orderId)?.asset;
    const draws = this.draw(event.orderId, BigInt(event.releasedUnits));
    if (asset)
      for (const { reservationId, units } of draws)
        await this.giveBack(
          reservationId,
          asset,
          units,
          since,
          `${reservationId}:${streamVersion}`,
        );
  }

  /** `since`: the first version of the command that recorded it; undefined if none did. */
  private async giveBack(
    reservationId: string,
    asset: string,
    units: bigint,
    since: number | undefined,
    releaseId = `${reservationId}:end`,
  ): Promise<void> {
    const { instrument, funds } = this.dependencies;
    const scale = asset === instrument.quoteAsset ? instrument.quoteScale : instrument.baseScale;
    const request = { reservationId, amount: formatUnits(units, scale), releaseId };
    await this.movements.make({ id: releaseId, since, move: () => funds.release(request) });
  }
}
