import { USER_REGISTERED, userRegisteredV1 } from '@simple-securities/contracts';
import type { MessageSubscriber, Subscription } from '@simple-securities/event-sourcing';
import { notifyUser, welcomeNewUser } from '@simple-securities/notification';
import type { SqlExecutor } from '@simple-securities/postgres';
import type { Clock } from '@simple-securities/shared-kernel';
import { postgresNotifications } from './postgres-notifications.js';

/**
 * Welcomes each user core registers. The notification is written in the
 * transaction that moves the consumer's checkpoint, and its id is derived from
 * the user, so a redelivered event never welcomes anyone twice.
 */
export const consumeUserRegistrations = (
  bus: MessageSubscriber<SqlExecutor>,
  clock: Clock,
): Promise<Subscription> =>
  bus.consume(
    async (event, { tx }) => {
      await notifyUser({ notifications: postgresNotifications(tx), clock })(
        welcomeNewUser(userRegisteredV1.parse(event.data)),
      );
    },
    { consumer: 'notification.welcome-new-users', types: [USER_REGISTERED] },
  );
