import { describe, expect, it } from '@jest/globals';
import type { Notification } from '@simple-securities/notification';
import { NotificationMailbox } from './notification-mailbox.js';

const notification = (id: string): Notification => ({
  id,
  userId: 'alice',
  type: 'SYSTEM',
  title: id,
  body: '',
  createdAt: new Date('2026-12-02T08:00:00Z'),
  readAt: null,
  viewedAt: null,
});

const ids = async (mailbox: NotificationMailbox, count: number) => {
  const taken: string[] = [];
  for (let n = 0; n < count; n++) {
    const next = await mailbox.next();
    if (!next.done) taken.push(next.value.id);
  }
  return taken;
};

describe('a subscriber’s notification mailbox', () => {
  it('hands over notifications in the order they came', async () => {
    const mailbox = new NotificationMailbox(10, () => undefined);
    const waiting = mailbox.next();
    mailbox.push(notification('n-1'));
    mailbox.push(notification('n-2'));
    expect((await waiting).value).toMatchObject({ id: 'n-1' });
    expect(await ids(mailbox, 1)).toEqual(['n-2']);
  });

  it('drops the oldest when the reader is a full mailbox behind, and counts it', async () => {
    const mailbox = new NotificationMailbox(2, () => undefined);
    for (const id of ['n-1', 'n-2', 'n-3']) mailbox.push(notification(id));
    expect(mailbox.dropped).toBe(1);
    expect(await ids(mailbox, 2)).toEqual(['n-2', 'n-3']);
  });

  it('ends, and leaves its subscription once, when the client goes away', async () => {
    let left = 0;
    const mailbox = new NotificationMailbox(2, () => left++);
    const waiting = mailbox.next();
    await mailbox.return();
    await mailbox.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    mailbox.push(notification('n-1'));
    expect(await mailbox.next()).toEqual({ value: undefined, done: true });
    expect(left).toBe(1);
  });
});
