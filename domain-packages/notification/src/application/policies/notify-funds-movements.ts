import type { WalletMovementV1 } from '@simple-securities/contracts';
import type { NotifyUser } from '../commands/notify-user.js';
import type { SourceEvent } from './source-event.js';

/** Money arrived: the user sees the amount and what the wallet holds now. */
export const notifyDepositCompleted = ({
  id,
  data,
}: SourceEvent<WalletMovementV1>): NotifyUser => ({
  notificationId: id,
  userId: data.userId,
  type: 'WALLET',
  title: `Deposit of ${data.amount} ${data.asset} completed`,
  body: `${data.amount} ${data.asset} is in your wallet. Available now: ${data.available} ${data.asset}.`,
});

/** Money left: the user sees the amount and what remains, so a withdrawal they did not make stands out. */
export const notifyWithdrawalCompleted = ({
  id,
  data,
}: SourceEvent<WalletMovementV1>): NotifyUser => ({
  notificationId: id,
  userId: data.userId,
  type: 'WALLET',
  title: `Withdrawal of ${data.amount} ${data.asset} completed`,
  body: `${data.amount} ${data.asset} left your wallet. Available now: ${data.available} ${data.asset}.`,
});
