import type { Page, PageRequest } from '@simple-securities/shared-kernel';
import type { PushAttempt, PushDeliveries } from '../ports/push-deliveries.js';
import { checkPageSize } from './page-size.js';

/** The attempts to push the user's notifications to their webhook, newest first. */
export const listPushAttempts =
  (deps: { deliveries: PushDeliveries }) =>
  async (userId: string, page: PageRequest): Promise<Page<PushAttempt>> => {
    checkPageSize(page.first);
    return deps.deliveries.listAttempts(userId, page);
  };
