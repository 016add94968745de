import type {
  OrderAcceptedV1,
  OrderCancelledV1,
  OrderFilledV1,
  OrderPartiallyFilledV1,
  OrderRejectedV1,
} from '@simple-securities/contracts';
import type { NotifyUser } from '../commands/notify-user.js';
import type { SourceEvent } from './source-event.js';

type Order = Pick<OrderAcceptedV1, 'userId' | 'side' | 'quantity' | 'symbol' | 'price'>;

/** "BUY 0.5 BTC-USDT at 50000.00", or "… at market". */
const describeOrder = (order: Order) =>
  `${order.side} ${order.quantity} ${order.symbol} ${order.price === null ? 'at market' : `at ${order.price}`}`;

const orderNotification = (id: string, order: Order, title: string, body: string): NotifyUser => ({
  notificationId: id,
  userId: order.userId,
  type: 'ORDER',
  title: `${title}: ${describeOrder(order)}`,
  body,
});

export const notifyOrderAccepted = ({ id, data }: SourceEvent<OrderAcceptedV1>): NotifyUser =>
  orderNotification(id, data, 'Order accepted', 'Your order is on the book.');

export const notifyOrderPartiallyFilled = ({
  id,
  data,
}: SourceEvent<OrderPartiallyFilledV1>): NotifyUser =>
  orderNotification(
    id,
    data,
    'Order partly filled',
    `${data.fill.quantity} filled at ${data.fill.price}. Filled so far: ${data.filledQuantity} at an average ${data.averagePrice}; ${data.remainingQuantity} remaining.`,
  );

export const notifyOrderFilled = ({ id, data }: SourceEvent<OrderFilledV1>): NotifyUser =>
  orderNotification(
    id,
    data,
    'Order filled',
    `All ${data.filledQuantity} filled at an average ${data.averagePrice}.`,
  );

const CANCEL_REASONS: Readonly<Record<OrderCancelledV1['reason'], string>> = {
  USER_REQUESTED: 'You cancelled it.',
  EXPIRED: 'It expired.',
  MARKET_CLOSED: 'The market closed.',
  NO_LIQUIDITY: 'Nothing on the book could fill it.',
  SELF_TRADE_PREVENTED: 'It would have traded with another order of yours.',
};

export const notifyOrderCancelled = ({ id, data }: SourceEvent<OrderCancelledV1>): NotifyUser =>
  orderNotification(
    id,
    data,
    'Order cancelled',
    `${CANCEL_REASONS[data.reason]} ${data.filledQuantity} was filled; ${data.remainingQuantity} never will be.`,
  );

export const notifyOrderRejected = ({ id, data }: SourceEvent<OrderRejectedV1>): NotifyUser =>
  orderNotification(id, data, 'Order rejected', data.reason);
