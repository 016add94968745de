import {
  CORE_SOURCE,
  CRYPTO_SOURCE,
  FUNDS_DEPOSITED,
  FUNDS_RESERVED,
  FUNDS_WITHDRAWN,
  ORDER_ACCEPTED,
  ORDER_CANCELLED,
  ORDER_FILLED,
  ORDER_PARTIALLY_FILLED,
  ORDER_REJECTED,
  PERMISSION_GRANTED,
  fundsDepositedV1,
  fundsReservedV1,
  fundsWithdrawnV1,
  orderAcceptedV1,
  orderCancelledV1,
  orderFilledV1,
  orderPartiallyFilledV1,
  orderRejectedV1,
  permissionGrantedV1,
} from '@simple-securities/contracts';
import { integrationEvent, type IntegrationEvent } from '@simple-securities/event-sourcing';

const at = '2026-12-02T08:00:00.000Z';

/** Each event is built through its publisher's contract, as trading and core will publish it. */
export const depositOf = (userId: string, amount: string, key: string) =>
  integrationEvent({
    type: FUNDS_DEPOSITED,
    source: CORE_SOURCE,
    subject: userId,
    data: fundsDepositedV1.parse({
      transactionId: `tx-${key}`,
      userId,
      asset: 'USD',
      amount,
      available: amount,
      reserved: '0.00',
      reference: `deposit:${key}`,
      occurredAt: at,
    }),
  });

const order = (userId: string) => ({
  orderId: `order-${userId}`,
  clientOrderId: `client-${userId}`,
  userId,
  symbol: 'BTC-USDT',
  side: 'BUY' as const,
  type: 'LIMIT' as const,
  quantity: '0.50000000',
  price: '50000.00',
  occurredAt: at,
});

const fill = {
  fill: { tradeId: 'trade-1', quantity: '0.20000000', price: '49990.00' },
  filledQuantity: '0.20000000',
  remainingQuantity: '0.30000000',
  averagePrice: '49990.00',
};

const orderEvent = (type: string, userId: string, data: unknown) =>
  integrationEvent({ type, source: CRYPTO_SOURCE, subject: `order-${userId}`, data });

/** Everything that notifies `userId`, one of each, and a reservation that notifies nobody. */
export const eventsFor = (
  userId: string,
): { notifying: IntegrationEvent[]; quiet: IntegrationEvent[] } => ({
  notifying: [
    depositOf(userId, '250.00', `${userId}-1`),
    integrationEvent({
      type: FUNDS_WITHDRAWN,
      source: CORE_SOURCE,
      subject: userId,
      data: fundsWithdrawnV1.parse({
        transactionId: `tx-w-${userId}`,
        userId,
        asset: 'USD',
        amount: '100.00',
        available: '150.00',
        reserved: '0.00',
        reference: `withdrawal:${userId}`,
        occurredAt: at,
      }),
    }),
    integrationEvent({
      type: PERMISSION_GRANTED,
      source: CORE_SOURCE,
      subject: userId,
      data: permissionGrantedV1.parse({
        userId,
        permission: 'admin:ledger:read',
        changedBy: 'admin',
        changedAt: at,
      }),
    }),
    orderEvent(ORDER_ACCEPTED, userId, orderAcceptedV1.parse(order(userId))),
    orderEvent(
      ORDER_PARTIALLY_FILLED,
      userId,
      orderPartiallyFilledV1.parse({ ...order(userId), ...fill }),
    ),
    orderEvent(
      ORDER_FILLED,
      userId,
      orderFilledV1.parse({
        ...order(userId),
        ...fill,
        filledQuantity: '0.50000000',
        remainingQuantity: '0',
      }),
    ),
    orderEvent(
      ORDER_CANCELLED,
      userId,
      orderCancelledV1.parse({
        ...order(userId),
        filledQuantity: '0',
        remainingQuantity: '0.50000000',
        reason: 'USER_REQUESTED',
      }),
    ),
    orderEvent(
      ORDER_REJECTED,
      userId,
      orderRejectedV1.parse({
        ...order(userId),
        code: 'INSUFFICIENT_FUNDS',
        reason: 'You have 100.00 USDT available; this order needs 25000.00.',
      }),
    ),
  ],
  quiet: [
    integrationEvent({
      type: FUNDS_RESERVED,
      source: CORE_SOURCE,
      subject: userId,
      data: fundsReservedV1.parse({
        transactionId: `tx-r-${userId}`,
        userId,
        asset: 'USD',
        amount: '10.00',
        available: '140.00',
        reserved: '10.00',
        reference: `reservation:r-${userId}`,
        reservationId: `r-${userId}`,
        occurredAt: at,
      }),
    }),
  ],
});
