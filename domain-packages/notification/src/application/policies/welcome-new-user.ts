import type { UserRegisteredV1 } from '@simple-securities/contracts';
import type { NotifyUser } from '../commands/notify-user.js';

/** Every new account gets one welcome notification that says what to do first. */
export const welcomeNewUser = (registered: UserRegisteredV1): NotifyUser => ({
  notificationId: `welcome:${registered.userId}`,
  userId: registered.userId,
  type: 'WELCOME',
  title: `Welcome to Simple Securities, ${registered.displayName}`,
  body: 'Fund a wallet to start trading crypto and stocks. Live prices are on the markets page.',
});
