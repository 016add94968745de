import type { MessageSubscriber, Subscription } from '@simple-securities/event-sourcing';
import { NOTIFYING_EVENT_TYPES, notificationFor } from '@simple-securities/notification';
import type { SqlExecutor } from '@simple-securities/postgres';
import { type ConsumerDeps, notifyInTransaction } from './notify-in-transaction.js';

export const PUBLISHED_EVENTS_CONSUMER = 'notification.from-published-events';

/**
 * Turns what other contexts publish (deposits, withdrawals, permissions, orders) into
 * one notification per event: the notification's id is the event's, so an event
 * delivered twice, or again after a crash mid-batch, notifies once.
 */
export const consumePublishedEvents = (
  bus: MessageSubscriber<SqlExecutor>,
  deps: ConsumerDeps,
): Promise<Subscription> => {
  const notify = notifyInTransaction(deps);
  return bus.consume(
    async (event, context) => {
      const command = notificationFor(event);
      if (command) await notify(command, context);
    },
    { consumer: PUBLISHED_EVENTS_CONSUMER, types: NOTIFYING_EVENT_TYPES },
  );
};
