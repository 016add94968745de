import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import { migrate, PostgresMessageBus, type SqlDatabase } from '@simple-securities/postgres';
import { describeOnEachEngine } from '@simple-securities/postgres/testing';
import {
  callerHeaders,
  loadConfig,
  migrationsOf,
  type Caller,
  type RunningService,
} from '@simple-securities/service-kit';
import { causeUntilReceived, subscribeLive } from '../../../tests/support/live-subscription.js';
import { PUBLISHED_EVENTS_CONSUMER } from '../src/adapters/published-events-consumer.js';
import { notificationSubgraph, startNotificationService } from '../src/composition-root.js';
import { notificationConfig } from '../src/config.js';
import { depositOf, eventsFor } from './published-events.js';

const internalToken = 'notification-events-test-internal-token';
const logger = pino({ level: 'silent' });
const user = (userId: string, permissions: string[] = ['notifications:read']): Caller => ({
  userId,
  roles: ['USER'],
  permissions,
});
const admin: Caller = {
  userId: 'admin',
  roles: ['ADMIN'],
  permissions: ['admin:notifications:send'],
};

interface Added {
  notificationAdded: { id: string; type: string; title: string; read: boolean };
}

await describeOnEachEngine('notifications from published events, live', (engine) => {
  let database: SqlDatabase;
  let bus: PostgresMessageBus;
  let service: RunningService;
  const clients: Client[] = [];

  const start = () =>
    startNotificationService({
      database,
      bus,
      logger,
      config: loadConfig(notificationConfig, { NOTIFICATION_GRPC_PORT: '0' }),
      server: { port: 0, host: '127.0.0.1', internalToken },
      clock: { now: () => new Date() },
    });

  /** Resolves once the consumer has handled everything up to `position`. */
  const caughtUp = async (position: number) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const { rows } = await database.query<{ position: string | number }>(
        'SELECT position FROM consumer_checkpoints WHERE consumer = $1',
        [PUBLISHED_EVENTS_CONSUMER],
      );
      if (Number(rows[0]?.position ?? 0) >= position) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${PUBLISHED_EVENTS_CONSUMER} did not reach position ${position}`);
  };

  const notificationsOf = async (ids: readonly string[]) =>
    (
      await database.query<{ id: string; user_id: string; type: string }>(
        'SELECT id, user_id, type FROM notification.notifications WHERE id = ANY($1::text[]) ORDER BY id',
        [ids],
      )
    ).rows;

  const graphql = async (
    query: string,
    caller?: Caller,
    variables: Record<string, unknown> = {},
  ) => {
    const response = await fetch(service.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(caller ? await callerHeaders(caller, internalToken, 'notification') : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; extensions: { code: string } }[];
    };
  };

  const connect = (connectionParams: Record<string, unknown>) => {
    const client = createClient({
      url: service.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams,
      retryAttempts: 0,
      lazy: true,
    });
    clients.push(client);
    return client;
  };
  const connectAs = async (caller: Caller) =>
    connect(await callerHeaders(caller, internalToken, 'notification'));
  const NOTIFICATION_ADDED = 'subscription { notificationAdded { id type title read } }';

  beforeAll(async () => {
    database = await engine.open();
    await migrate({ database, directories: migrationsOf([notificationSubgraph]), logger });
    bus = new PostgresMessageBus(database, { logger });
    service = await start();
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await service?.stop();
    await database?.close();
  });

  it('gives one notification per published event, even when every event is delivered twice', async () => {
    const { notifying, quiet } = eventsFor('erin');
    // The same events published twice: the bus keeps one of each id.
    const published = await bus.publish([...notifying, ...quiet]);
    await bus.publish([...notifying, ...quiet]);
    await caughtUp(published);
    const ids = notifying.map((event) => event.id);
    const stored = await notificationsOf([...ids, ...quiet.map((event) => event.id)]);
    expect(stored.map((row) => row.id)).toEqual([...ids].sort());
    expect(stored.every((row) => row.user_id === 'erin')).toBe(true);

    // Delivered again from the start of the log, as after a lost checkpoint.
    await service.stop();
    await database.query('UPDATE consumer_checkpoints SET position = 0 WHERE consumer = $1', [
      PUBLISHED_EVENTS_CONSUMER,
    ]);
    service = await start();
    await caughtUp(
      Number(
        (
          await database.query<{ p: string | number }>(
            'SELECT max(position) AS p FROM bus_messages',
          )
        ).rows[0]?.p,
      ),
    );
    expect(await notificationsOf(ids)).toEqual(stored);
    const indexed = await database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM search_documents WHERE index_name = 'notifications' AND id = ANY($1::text[])`,
      [ids],
    );
    expect(indexed.rows[0]?.n).toBe(ids.length);
  });

  it('pushes a new notification to its recipient only', async () => {
    const alice = subscribeLive<Added>(await connectAs(user('alice')), NOTIFICATION_ADDED);
    const bob = subscribeLive<Added>(await connectAs(user('bob')), NOTIFICATION_ADDED);
    const aliceDeposits: string[] = [];
    await causeUntilReceived(alice, async (attempt) => {
      const deposit = depositOf('alice', '10.00', `alice-live-${attempt}`);
      aliceDeposits.push(deposit.id);
      await bus.publish([deposit]);
    });
    const [first] = await alice.received(1);
    expect(aliceDeposits).toContain(first?.notificationAdded.id);
    expect(first?.notificationAdded).toMatchObject({
      type: 'WALLET',
      title: 'Deposit of 10.00 USD completed',
      read: false,
    });

    const bobDeposits: string[] = [];
    await causeUntilReceived(bob, async (attempt) => {
      const deposit = depositOf('bob', '20.00', `bob-live-${attempt}`);
      bobDeposits.push(deposit.id);
      await bus.publish([deposit]);
    });
    // Bob's stream carried his own deposits and none of Alice's, which came before.
    for (const { notificationAdded } of bob.events)
      expect(bobDeposits).toContain(notificationAdded.id);
    for (const { notificationAdded } of alice.events)
      expect(aliceDeposits).toContain(notificationAdded.id);
    alice.stop();
    bob.stop();
  });

  it('refuses the subscription without a valid caller assertion', async () => {
    const anonymous = subscribeLive<Added>(connect({}), NOTIFICATION_ADDED);
    expect(await anonymous.failure).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }),
    ]);
    const forged = subscribeLive<Added>(
      connect(await callerHeaders(user('alice'), 'not-the-internal-token', 'notification')),
      NOTIFICATION_ADDED,
    );
    expect(await forged.failure).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }),
    ]);
  });

  it('filters by type and unread, and marks all (or one type) read at once', async () => {
    const { notifying } = eventsFor('frank');
    await caughtUp(await bus.publish(notifying));
    const list = `query ($id: ID!, $type: NotificationType, $unreadOnly: Boolean) {
      _entities(representations: [{ __typename: "User", id: $id }]) {
        ... on User {
          unreadNotificationCount
          notifications(first: 20, type: $type, unreadOnly: $unreadOnly) { edges { node { type read } } }
        }
      }
    }`;
    type Listed = {
      unreadNotificationCount: number;
      notifications: { edges: { node: { type: string; read: boolean } }[] };
    };
    const listed = async (variables: Record<string, unknown>) =>
      (
        (await graphql(list, user('frank'), { id: 'frank', ...variables })).data
          ?._entities as Listed[]
      )[0];

    const orders = await listed({ type: 'ORDER' });
    expect(orders?.notifications.edges).toHaveLength(5);
    expect(orders?.unreadNotificationCount).toBe(8);

    const markOrders = await graphql(
      'mutation { markAllNotificationsRead(input: { type: ORDER }) { markedCount unreadNotificationCount } }',
      user('frank'),
    );
    expect(markOrders.data?.markAllNotificationsRead).toEqual({
      markedCount: 5,
      unreadNotificationCount: 3,
    });
    const unread = await listed({ unreadOnly: true });
    expect(unread?.notifications.edges.map((edge) => edge.node.type).sort()).toEqual([
      'ACCOUNT',
      'WALLET',
      'WALLET',
    ]);

    const markAll = await graphql(
      'mutation { markAllNotificationsRead { markedCount unreadNotificationCount } }',
      user('frank'),
    );
    expect(markAll.data?.markAllNotificationsRead).toEqual({
      markedCount: 3,
      unreadNotificationCount: 0,
    });
    expect((await listed({}))?.notifications.edges.every((edge) => edge.node.read)).toBe(true);
  });

  it('lets only a holder of admin:notifications:send write to a user, who sees it live', async () => {
    const send = `mutation ($input: SendNotificationInput!) {
      sendNotification(input: $input) { notification { id type title body } }
    }`;
    const input = {
      userId: 'grace',
      type: 'SYSTEM',
      title: ' Maintenance tonight ',
      body: 'Trading pauses 02:00–02:30 UTC.',
    };
    const refused = await graphql(send, user('mallory'), { input });
    expect(refused.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const anonymous = await graphql(send, undefined, { input });
    expect(anonymous.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const bad = await graphql(send, admin, { input: { ...input, title: '   ' } });
    expect(bad.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');

    const grace = subscribeLive<Added>(await connectAs(user('grace')), NOTIFICATION_ADDED);
    const sent: string[] = [];
    await causeUntilReceived(grace, async () => {
      const result = await graphql(send, admin, { input });
      const payload = result.data?.sendNotification as {
        notification: { id: string; title: string };
      };
      expect(payload.notification.title).toBe('Maintenance tonight');
      sent.push(payload.notification.id);
    });
    expect(sent).toContain(grace.events[0]?.notificationAdded.id);
    grace.stop();
  });

  it('reaches a subscriber connected to another replica', async () => {
    const replica = await start();
    try {
      const client = createClient({
        url: replica.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: await callerHeaders(user('judy'), internalToken, 'notification'),
        retryAttempts: 0,
        lazy: true,
      });
      clients.push(client);
      const judy = subscribeLive<Added>(client, NOTIFICATION_ADDED);
      const sent: string[] = [];
      // Sent through the first replica; the subscriber is on the second.
      await causeUntilReceived(judy, async () => {
        const result = await graphql(
          'mutation ($input: SendNotificationInput!) { sendNotification(input: $input) { notification { id } } }',
          admin,
          { input: { userId: 'judy', type: 'SYSTEM', title: 'Across replicas', body: '' } },
        );
        sent.push(
          (result.data?.sendNotification as { notification: { id: string } }).notification.id,
        );
      });
      expect(sent).toContain(judy.events[0]?.notificationAdded.id);
      expect(judy.events[0]?.notificationAdded.title).toBe('Across replicas');
      judy.stop();
    } finally {
      await replica.stop();
    }
  });

  it('searches the caller’s own notifications only, a page at a time', async () => {
    const heidis = eventsFor('heidi').notifying;
    await caughtUp(await bus.publish([...heidis, ...eventsFor('ivan').notifying]));
    const search = `query ($query: String!, $first: Int, $after: String) {
      searchNotifications(query: $query, first: $first, after: $after) {
        edges { cursor node { id title } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    type Found = {
      edges: { node: { id: string; title: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
    const found = async (variables: Record<string, unknown>, caller = user('heidi')) =>
      (await graphql(search, caller, variables)).data?.searchNotifications as Found;

    const orders = await found({ query: 'order', first: 3 });
    expect(orders.edges).toHaveLength(3);
    expect(orders.pageInfo.hasNextPage).toBe(true);
    const rest = await found({ query: 'order', first: 3, after: orders.pageInfo.endCursor });
    expect(rest.edges).toHaveLength(2);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const heidisIds = new Set(heidis.map((event) => event.id));
    const all = [...orders.edges, ...rest.edges].map((edge) => edge.node);
    expect(new Set(all.map((node) => node.id)).size).toBe(5);
    expect(all.every((node) => heidisIds.has(node.id) && node.title.startsWith('Order'))).toBe(
      true,
    );

    const withdrawal = await found({ query: 'withdrawal -deposit', first: 10 });
    expect(withdrawal.edges.map((edge) => edge.node.title)).toEqual([
      'Withdrawal of 100.00 USD completed',
    ]);

    const badCursor = await graphql(search, user('heidi'), {
      query: 'order',
      first: 3,
      after: 'nope',
    });
    expect(badCursor.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    const empty = await graphql(search, user('heidi'), { query: '   ', first: 3 });
    expect(empty.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    const anonymous = await graphql(search, undefined, { query: 'order', first: 3 });
    expect(anonymous.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });
});
