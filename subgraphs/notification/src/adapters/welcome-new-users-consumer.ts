import { USER_REGISTERED, userRegisteredV1 } from '@simple-securities/contracts';
import type { MessageSubscriber, Subscription } from '@simple-securities/event-sourcing';
import { welcomeNewUser } from '@simple-securities/notification';
import type { SqlExecutor } from '@simple-securities/postgres';
import { type ConsumerDeps, notifyInTransaction } from './notify-in-transaction.js';

/** Welcomes each user core registers, once (the notification's id is derived from the user). */
export const consumeUserRegistrations = (
  bus: MessageSubscriber<SqlExecutor>,
  deps: ConsumerDeps,
): Promise<Subscription> => {
  const notify = notifyInTransaction(deps);
  return bus.consume(
    (event, context) => notify(welcomeNewUser(userRegisteredV1.parse(event.data)), context),
    { consumer: 'notification.welcome-new-users', types: [USER_REGISTERED] },
  );
};
