import type { PermissionChangedV1 } from '@simple-securities/contracts';
import type { NotifyUser } from '../commands/notify-user.js';
import type { SourceEvent } from './source-event.js';

/** What an administrator allowed the user to do, so a change to their account never goes unseen. */
export const notifyPermissionGranted = ({
  id,
  data,
}: SourceEvent<PermissionChangedV1>): NotifyUser => ({
  notificationId: id,
  userId: data.userId,
  type: 'ACCOUNT',
  title: 'You have a new permission',
  body: `An administrator gave you the "${data.permission}" permission.`,
});
