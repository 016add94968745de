import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { causeUntilReceived, subscribeLive } from '../support/live-subscription.js';
import { dataOf, startTestStack, type TestStack } from '../support/running-stack.js';

interface Added {
  notificationAdded: { id: string; type: string; title: string; body: string; read: boolean };
}

const DEPOSIT = `mutation ($input: DepositInput!) { deposit(input: $input) { wallet { available } } }`;
const NOTIFICATION_ADDED = 'subscription { notificationAdded { id type title body read } }';
const MY_NOTIFICATIONS = `{ me {
  unreadNotificationCount
  notifications(first: 10) { edges { node { id type title read } } }
} }`;

describe('notifications through the router', () => {
  let stack: TestStack;
  const clients: Client[] = [];

  const connect = (connectionParams: Record<string, unknown>) => {
    const client = createClient({
      url: stack.router.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams,
      retryAttempts: 0,
      lazy: true,
    });
    clients.push(client);
    return client;
  };

  const signUp = () => stack.signUp('notified');

  const deposit = async (token: string, amount: string, idempotencyKey: string) => {
    const { body } = await stack.graphql(DEPOSIT, {
      token,
      variables: { input: { asset: 'USD', amount, idempotencyKey } },
    });
    dataOf(body);
  };

  const myNotifications = async (token: string) => {
    const { body } = await stack.graphql<{
      me: {
        unreadNotificationCount: number;
        notifications: {
          edges: { node: { id: string; type: string; title: string; read: boolean } }[];
        };
      };
    }>(MY_NOTIFICATIONS, { token });
    return dataOf(body).me;
  };

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await stack?.close();
  });

  it('signs up, deposits, receives notificationAdded live, lists it and marks it read', async () => {
    const { token } = await signUp();
    const live = subscribeLive<Added>(
      connect({ authorization: `Bearer ${token}` }),
      NOTIFICATION_ADDED,
    );
    const deposits = await causeUntilReceived(live, (attempt) =>
      deposit(token, '250.00', `notified-deposit-${attempt}`),
    );
    const [added] = await live.received(1);
    expect(added?.notificationAdded).toMatchObject({
      type: 'WALLET',
      title: 'Deposit of 250.00 USD completed',
      read: false,
    });

    // The welcome and one notification per deposit; the one pushed live is among them.
    const listed = await myNotifications(token);
    const nodes = listed.notifications.edges.map((edge) => edge.node);
    expect(nodes.filter((node) => node.type === 'WALLET')).toHaveLength(deposits);
    expect(nodes.map((node) => node.id)).toContain(added?.notificationAdded.id);
    expect(listed.unreadNotificationCount).toBe(deposits + 1);

    const { body } = await stack.graphql<{
      markNotificationRead: { notification: { read: boolean } };
    }>(
      'mutation ($id: ID!) { markNotificationRead(input: { id: $id }) { notification { read } } }',
      {
        token,
        variables: { id: added?.notificationAdded.id },
      },
    );
    expect(dataOf(body).markNotificationRead.notification.read).toBe(true);
    const after = await myNotifications(token);
    expect(after.unreadNotificationCount).toBe(deposits);
    expect(
      after.notifications.edges.find((edge) => edge.node.id === added?.notificationAdded.id)?.node
        .read,
    ).toBe(true);
    live.stop();
  });

  it('never pushes one user’s notifications to another', async () => {
    const sender = await signUp();
    const watcher = await signUp();
    const senders = subscribeLive<Added>(
      connect({ authorization: `Bearer ${sender.token}` }),
      NOTIFICATION_ADDED,
    );
    const watchers = subscribeLive<Added>(
      connect({ authorization: `Bearer ${watcher.token}` }),
      NOTIFICATION_ADDED,
    );
    await causeUntilReceived(senders, (attempt) =>
      deposit(sender.token, '5.00', `sender-${attempt}`),
    );
    await causeUntilReceived(watchers, (attempt) =>
      deposit(watcher.token, '7.00', `watcher-${attempt}`),
    );
    // By now the watcher's subscription was live for at least the sender's later deposits.
    const watcherIds = new Set(
      (await myNotifications(watcher.token)).notifications.edges.map((edge) => edge.node.id),
    );
    expect(watchers.events.every((event) => watcherIds.has(event.notificationAdded.id))).toBe(true);
    expect(
      watchers.events.every((event) => event.notificationAdded.body.startsWith('7.00 USD')),
    ).toBe(true);
    senders.stop();
    watchers.stop();
  });

  it('tells a user of a permission an administrator granted, and of a message one sent', async () => {
    const { token, user } = await signUp();
    const adminToken = await stack.signIn('admin@example.com', 'admin-password-1');
    const live = subscribeLive<Added>(
      connect({ authorization: `Bearer ${token}` }),
      NOTIFICATION_ADDED,
    );
    await causeUntilReceived(live, async () => {
      const { body } = await stack.graphql(
        `mutation ($input: SendNotificationInput!) { sendNotification(input: $input) { notification { id } } }`,
        {
          token: adminToken,
          variables: {
            input: { userId: user.id, type: 'SYSTEM', title: 'Maintenance tonight', body: '' },
          },
        },
      );
      dataOf(body);
    });
    expect(live.events[0]?.notificationAdded).toMatchObject({
      type: 'SYSTEM',
      title: 'Maintenance tonight',
    });
    const { body } = await stack.graphql(
      `mutation ($input: GrantPermissionInput!) { grantPermission(input: $input) { effectivePermissions } }`,
      {
        token: adminToken,
        variables: { input: { userId: user.id, permission: 'admin:ledger:read' } },
      },
    );
    dataOf(body);
    // Pushes of the messages sent before may still be on their way: wait for the grant's.
    const grantOf = () => live.events.find((event) => event.notificationAdded.type === 'ACCOUNT');
    for (let count = live.events.length + 1; !grantOf(); count++) await live.received(count);
    expect(grantOf()?.notificationAdded).toMatchObject({
      title: 'You have a new permission',
      body: 'An administrator gave you the "admin:ledger:read" permission.',
    });
    // A user without the permission cannot write to anyone.
    const refused = await stack.graphql(
      `mutation { sendNotification(input: { userId: "${user.id}", type: SYSTEM, title: "Hi", body: "" }) { notification { id } } }`,
      { token },
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    live.stop();
  });

  it('refuses the subscription to an anonymous connection, and a bad token outright', async () => {
    const anonymous = subscribeLive<Added>(connect({}), NOTIFICATION_ADDED);
    expect(await anonymous.failure).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }),
    ]);
    const forged = subscribeLive<Added>(
      connect({ authorization: 'Bearer forged.token.value' }),
      NOTIFICATION_ADDED,
    );
    expect(await forged.failure).toMatchObject({ code: 4403 });
  });
});
