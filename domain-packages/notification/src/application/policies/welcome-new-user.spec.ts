import { describe, expect, it } from '@jest/globals';
import { welcomeNewUser } from './welcome-new-user.js';

describe('welcoming a new user', () => {
  it('greets them by name, once per account', () => {
    const registered = {
      userId: 'u-1',
      displayName: 'Alice',
      registeredAt: '2026-11-25T10:00:00.000Z',
    };
    const welcome = welcomeNewUser(registered);
    expect(welcome).toMatchObject({
      userId: 'u-1',
      type: 'WELCOME',
      title: 'Welcome to Simple Securities, Alice',
    });
    expect(welcomeNewUser(registered).notificationId).toBe(welcome.notificationId);
  });
});
