import { describe, expect, it } from '@jest/globals';
import {
  FUNDS_DEPOSITED,
  FUNDS_RESERVED,
  FUNDS_WITHDRAWN,
  ORDER_ACCEPTED,
  ORDER_CANCELLED,
  ORDER_FILLED,
  ORDER_PARTIALLY_FILLED,
  ORDER_REJECTED,
  PERMISSION_GRANTED,
} from '@simple-securities/contracts';
import type { NotifyUser } from '../commands/notify-user.js';
import { NOTIFYING_EVENT_TYPES, notificationFor } from './notifying-events.js';

/** given an event published with `data`, when the policies see it, then they notify (or not). */
const given = (type: string, data: unknown, id = 'event-1') => ({
  whenPublished: () => ({
    thenNotify: (expected: Omit<NotifyUser, 'notificationId'>) =>
      expect(notificationFor({ id, type, data })).toEqual({ notificationId: id, ...expected }),
    thenNotifyNobody: () => expect(notificationFor({ id, type, data })).toBeUndefined(),
    thenFail: () => expect(() => notificationFor({ id, type, data })).toThrow(),
  }),
});

const movement = {
  transactionId: 'tx-1',
  userId: 'alice',
  asset: 'USD',
  amount: '250.00',
  available: '1250.00',
  reserved: '0.00',
  reference: 'deposit:my-first-deposit',
  occurredAt: '2026-12-02T08:00:00.000Z',
};

const order = {
  orderId: 'order-1',
  clientOrderId: 'client-1',
  userId: 'alice',
  symbol: 'BTC-USDT',
  side: 'BUY',
  type: 'LIMIT',
  quantity: '0.50000000',
  price: '50000.00',
  occurredAt: '2026-12-02T08:00:00.000Z',
};

const fill = {
  fill: { tradeId: 'trade-1', quantity: '0.20000000', price: '49990.00' },
  filledQuantity: '0.20000000',
  remainingQuantity: '0.30000000',
  averagePrice: '49990.00',
};

describe('notifying users of what happened to them', () => {
  it('tells of a completed deposit, with what is available now', () =>
    given(FUNDS_DEPOSITED, movement).whenPublished().thenNotify({
      userId: 'alice',
      type: 'WALLET',
      title: 'Deposit of 250.00 USD completed',
      body: '250.00 USD is in your wallet. Available now: 1250.00 USD.',
    }));

  it('tells of a completed withdrawal', () =>
    given(FUNDS_WITHDRAWN, { ...movement, amount: '100.00', available: '1150.00' })
      .whenPublished()
      .thenNotify({
        userId: 'alice',
        type: 'WALLET',
        title: 'Withdrawal of 100.00 USD completed',
        body: '100.00 USD left your wallet. Available now: 1150.00 USD.',
      }));

  it('tells of a permission an administrator granted', () =>
    given(PERMISSION_GRANTED, {
      userId: 'alice',
      permission: 'admin:ledger:read',
      changedBy: 'admin',
      changedAt: '2026-12-02T08:00:00.000Z',
    })
      .whenPublished()
      .thenNotify({
        userId: 'alice',
        type: 'ACCOUNT',
        title: 'You have a new permission',
        body: 'An administrator gave you the "admin:ledger:read" permission.',
      }));

  it('tells of an accepted order, limit or market', () => {
    given(ORDER_ACCEPTED, order).whenPublished().thenNotify({
      userId: 'alice',
      type: 'ORDER',
      title: 'Order accepted: BUY 0.50000000 BTC-USDT at 50000.00',
      body: 'Your order is on the book.',
    });
    given(ORDER_ACCEPTED, { ...order, type: 'MARKET', price: null })
      .whenPublished()
      .thenNotify({
        userId: 'alice',
        type: 'ORDER',
        title: 'Order accepted: BUY 0.50000000 BTC-USDT at market',
        body: 'Your order is on the book.',
      });
  });

  it('tells of each fill, and of the last one', () => {
    given(ORDER_PARTIALLY_FILLED, { ...order, ...fill })
      .whenPublished()
      .thenNotify({
        userId: 'alice',
        type: 'ORDER',
        title: 'Order partly filled: BUY 0.50000000 BTC-USDT at 50000.00',
        body: '0.20000000 filled at 49990.00. Filled so far: 0.20000000 at an average 49990.00; 0.30000000 remaining.',
      });
    given(ORDER_FILLED, {
      ...order,
      ...fill,
      filledQuantity: '0.50000000',
      remainingQuantity: '0',
      averagePrice: '49994.00',
    })
      .whenPublished()
      .thenNotify({
        userId: 'alice',
        type: 'ORDER',
        title: 'Order filled: BUY 0.50000000 BTC-USDT at 50000.00',
        body: 'All 0.50000000 filled at an average 49994.00.',
      });
  });

  it('tells why an order ended unfilled', () => {
    given(ORDER_CANCELLED, {
      ...order,
      filledQuantity: '0.20000000',
      remainingQuantity: '0.30000000',
      reason: 'USER_REQUESTED',
    })
      .whenPublished()
      .thenNotify({
        userId: 'alice',
        type: 'ORDER',
        title: 'Order cancelled: BUY 0.50000000 BTC-USDT at 50000.00',
        body: 'You cancelled it. 0.20000000 was filled; 0.30000000 never will be.',
      });
    given(ORDER_CANCELLED, {
      ...order,
      filledQuantity: '0',
      remainingQuantity: '0.50000000',
      reason: 'SELF_TRADE_PREVENTED',
    })
      .whenPublished()
      .thenNotify({
        userId: 'alice',
        type: 'ORDER',
        title: 'Order cancelled: BUY 0.50000000 BTC-USDT at 50000.00',
        body: 'It would have traded with another order of yours. 0 was filled; 0.50000000 never will be.',
      });
    given(ORDER_REJECTED, {
      ...order,
      code: 'INSUFFICIENT_FUNDS',
      reason: 'You have 100.00 USDT available; this order needs 25000.00.',
    })
      .whenPublished()
      .thenNotify({
        userId: 'alice',
        type: 'ORDER',
        title: 'Order rejected: BUY 0.50000000 BTC-USDT at 50000.00',
        body: 'You have 100.00 USDT available; this order needs 25000.00.',
      });
  });

  it('gives the notification the source event’s id, so a redelivery is the same notification', () => {
    const first = notificationFor({ id: 'event-7', type: FUNDS_DEPOSITED, data: movement });
    const again = notificationFor({ id: 'event-7', type: FUNDS_DEPOSITED, data: movement });
    expect(first?.notificationId).toBe('event-7');
    expect(again).toEqual(first);
  });

  it('stays quiet about events that are bookkeeping, not news', () => {
    given(FUNDS_RESERVED, { ...movement, reservationId: 'r-1' })
      .whenPublished()
      .thenNotifyNobody();
    expect(NOTIFYING_EVENT_TYPES).not.toContain(FUNDS_RESERVED);
  });

  it('refuses an event that breaks its contract instead of guessing', () => {
    given(FUNDS_DEPOSITED, { ...movement, amount: 250 })
      .whenPublished()
      .thenFail();
    given(ORDER_ACCEPTED, { ...order, side: 'HOLD' })
      .whenPublished()
      .thenFail();
  });
});
