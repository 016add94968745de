import type { z } from 'zod';
import {
  FUNDS_DEPOSITED,
  FUNDS_WITHDRAWN,
  ORDER_ACCEPTED,
  ORDER_CANCELLED,
  ORDER_FILLED,
  ORDER_PARTIALLY_FILLED,
  ORDER_REJECTED,
  PERMISSION_GRANTED,
  fundsDepositedV1,
  fundsWithdrawnV1,
  orderAcceptedV1,
  orderCancelledV1,
  orderFilledV1,
  orderPartiallyFilledV1,
  orderRejectedV1,
  permissionGrantedV1,
} from '@simple-securities/contracts';
import type { NotifyUser } from '../commands/notify-user.js';
import { notifyDepositCompleted, notifyWithdrawalCompleted } from './notify-funds-movements.js';
import {
  notifyOrderAccepted,
  notifyOrderCancelled,
  notifyOrderFilled,
  notifyOrderPartiallyFilled,
  notifyOrderRejected,
} from './notify-order-progress.js';
import { notifyPermissionGranted } from './notify-permission-granted.js';
import type { SourceEvent } from './source-event.js';

/** An integration event as the bus delivers it, `data` not yet trusted. */
export interface PublishedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
}

type Policy = (event: SourceEvent<unknown>) => NotifyUser;

/**
 * `data` is parsed with the publisher's contract first: the bus is an edge like any
 * other, and an event that does not match fails (to be retried, then parked) rather
 * than notify someone of something half-read.
 */
const parsedWith =
  <Data>(schema: z.ZodType<Data>, notify: (event: SourceEvent<Data>) => NotifyUser): Policy =>
  ({ id, data }) =>
    notify({ id, data: schema.parse(data) });

/** Which published events notify their user, and how. */
const POLICIES: Readonly<Record<string, Policy>> = {
  [FUNDS_DEPOSITED]: parsedWith(fundsDepositedV1, notifyDepositCompleted),
  [FUNDS_WITHDRAWN]: parsedWith(fundsWithdrawnV1, notifyWithdrawalCompleted),
  [PERMISSION_GRANTED]: parsedWith(permissionGrantedV1, notifyPermissionGranted),
  [ORDER_ACCEPTED]: parsedWith(orderAcceptedV1, notifyOrderAccepted),
  [ORDER_PARTIALLY_FILLED]: parsedWith(orderPartiallyFilledV1, notifyOrderPartiallyFilled),
  [ORDER_FILLED]: parsedWith(orderFilledV1, notifyOrderFilled),
  [ORDER_CANCELLED]: parsedWith(orderCancelledV1, notifyOrderCancelled),
  [ORDER_REJECTED]: parsedWith(orderRejectedV1, notifyOrderRejected),
};

/** The event types a consumer of `notificationFor` subscribes to. */
export const NOTIFYING_EVENT_TYPES: readonly string[] = Object.keys(POLICIES);

/** The one notification a published event gives its user; undefined for a type that notifies no one. */
export const notificationFor = (event: PublishedEvent): NotifyUser | undefined =>
  POLICIES[event.type]?.({ id: event.id, data: event.data });
