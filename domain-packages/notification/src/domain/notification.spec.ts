import { describe, expect, it } from '@jest/globals';
import { createNotification, ensureRecipient, markRead, markViewed } from './notification.js';

const at = (iso: string) => new Date(iso);
const welcome = createNotification({
  id: 'n-1',
  userId: 'alice',
  type: 'WELCOME',
  title: ' Welcome to Simple Securities ',
  body: 'Fund your wallet to start trading.',
  createdAt: at('2026-11-25T10:00:00Z'),
});

describe('a notification', () => {
  it('starts unread and unviewed, with its title trimmed', () => {
    expect(welcome).toMatchObject({
      title: 'Welcome to Simple Securities',
      readAt: null,
      viewedAt: null,
    });
  });

  it('needs a title', () => {
    expect(() => createNotification({ ...welcome, title: '   ' })).toThrow(/title needs 1 to 200/);
  });

  it('counts as viewed when it is read', () => {
    const read = markRead(welcome, at('2026-11-25T11:00:00Z'));
    expect(read.readAt).toEqual(at('2026-11-25T11:00:00Z'));
    expect(read.viewedAt).toEqual(at('2026-11-25T11:00:00Z'));
  });

  it('keeps the first read and view times when marked again', () => {
    const viewed = markViewed(welcome, at('2026-11-25T10:30:00Z'));
    const read = markRead(viewed, at('2026-11-25T11:00:00Z'));
    const readAgain = markRead(read, at('2026-11-25T12:00:00Z'));
    expect(readAgain.viewedAt).toEqual(at('2026-11-25T10:30:00Z'));
    expect(readAgain.readAt).toEqual(at('2026-11-25T11:00:00Z'));
  });

  it('does not exist for anyone but its recipient', () => {
    expect(ensureRecipient(welcome, 'alice')).toBe(welcome);
    expect(() => ensureRecipient(welcome, 'mallory')).toThrow(/No such notification/);
    expect(() => ensureRecipient(undefined, 'alice')).toThrow(/No such notification/);
  });
});
