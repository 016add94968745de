import { afterAll, beforeAll, expect, it } from '@jest/globals';
import pino from 'pino';
import { USER_REGISTERED } from '@simple-securities/contracts';
import { integrationEvent } from '@simple-securities/event-sourcing';
import { NOTIFICATION_SEARCH_INDEX, notifyUser } from '@simple-securities/notification';
import {
  migrate,
  PostgresMessageBus,
  PostgresSearchIndex,
  type SqlDatabase,
} from '@simple-securities/postgres';
import { describeOnEachEngine } from '@simple-securities/postgres/testing';
import {
  callerHeaders,
  loadConfig,
  migrationsOf,
  type RunningService,
} from '@simple-securities/service-kit';
import { postgresNotifications } from '../src/adapters/postgres-notifications.js';
import { postgresPushQueue } from '../src/adapters/postgres-push-deliveries.js';
import { notificationSubgraph, startNotificationService } from '../src/composition-root.js';
import { notificationConfig } from '../src/config.js';

const internalToken = 'notification-test-internal-token';
const logger = pino({ level: 'silent' });
const caller = (userId: string) => ({
  userId,
  roles: ['USER'],
  permissions: ['notifications:read'],
});

await describeOnEachEngine('notifications', (engine) => {
  let database: SqlDatabase;
  let service: RunningService;
  let minute = 0;
  const clock = { now: () => new Date(Date.UTC(2026, 10, 25, 10, minute++)) };

  const graphql = async (
    query: string,
    variables: Record<string, unknown> = {},
    userId?: string,
  ) => {
    const response = await fetch(service.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(userId ? await callerHeaders(caller(userId), internalToken, 'notification') : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as {
      data?: Record<string, unknown>;
      errors?: { message: string; extensions: { code: string } }[];
    };
  };

  const listQuery = `query List($id: ID!, $first: Int, $after: String, $unreadOnly: Boolean) {
    _entities(representations: [{ __typename: "User", id: $id }]) {
      ... on User {
        unreadNotificationCount
        notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
          edges { cursor node { id title read readAt viewed } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }`;

  beforeAll(async () => {
    database = await engine.open();
    await migrate({
      database,
      directories: migrationsOf([notificationSubgraph]),
      logger,
    });
    service = await startNotificationService({
      database,
      bus: new PostgresMessageBus(database, { logger }),
      logger,
      config: loadConfig(notificationConfig, { NOTIFICATION_GRPC_PORT: '0' }),
      server: { port: 0, host: '127.0.0.1', internalToken },
      clock,
    });
    const notify = notifyUser({
      notifications: postgresNotifications(database),
      search: new PostgresSearchIndex(NOTIFICATION_SEARCH_INDEX, database),
      pushes: postgresPushQueue(database),
      clock,
    });
    for (const n of [1, 2, 3]) {
      await notify({
        notificationId: `alice-${n}`,
        userId: 'alice',
        type: 'SYSTEM',
        title: `Note ${n}`,
        body: 'Hello',
      });
    }
    // A redelivered event must not notify twice.
    await notify({
      notificationId: 'alice-3',
      userId: 'alice',
      type: 'SYSTEM',
      title: 'Note 3',
      body: 'Hello',
    });
    await notify({
      notificationId: 'bob-1',
      userId: 'bob',
      type: 'WELCOME',
      title: 'Welcome',
      body: 'Hi Bob',
    });
  });

  afterAll(async () => {
    await service?.stop();
    await database?.close();
  });

  it('lists the user’s notifications newest first, a page at a time', async () => {
    const first = await graphql(listQuery, { id: 'alice', first: 2 }, 'alice');
    const user = (
      first.data?._entities as {
        unreadNotificationCount: number;
        notifications: {
          edges: { node: { id: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }[]
    )[0]!;
    expect(user.unreadNotificationCount).toBe(3);
    expect(user.notifications.edges.map((e) => e.node.id)).toEqual(['alice-3', 'alice-2']);
    expect(user.notifications.pageInfo.hasNextPage).toBe(true);

    const second = await graphql(
      listQuery,
      { id: 'alice', first: 2, after: user.notifications.pageInfo.endCursor },
      'alice',
    );
    const rest = (
      second.data?._entities as {
        notifications: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean } };
      }[]
    )[0]!;
    expect(rest.notifications.edges.map((e) => e.node.id)).toEqual(['alice-1']);
    expect(rest.notifications.pageInfo.hasNextPage).toBe(false);
  });

  it('marks a notification read once, and the unread list no longer shows it', async () => {
    const mark = `mutation { markNotificationRead(input: { id: "alice-2" }) { notification { id read readAt viewed } } }`;
    const marked = await graphql(mark, {}, 'alice');
    const notification = (
      marked.data?.markNotificationRead as {
        notification: { read: boolean; readAt: string; viewed: boolean };
      }
    ).notification;
    expect(notification).toMatchObject({ read: true, viewed: true });
    const again = await graphql(mark, {}, 'alice');
    expect(
      (again.data?.markNotificationRead as { notification: { readAt: string } }).notification
        .readAt,
    ).toBe(notification.readAt);

    const unread = await graphql(listQuery, { id: 'alice', first: 10, unreadOnly: true }, 'alice');
    const user = (
      unread.data?._entities as {
        unreadNotificationCount: number;
        notifications: { edges: { node: { id: string } }[] };
      }[]
    )[0]!;
    expect(user.notifications.edges.map((e) => e.node.id)).toEqual(['alice-3', 'alice-1']);
    expect(user.unreadNotificationCount).toBe(2);
  });

  it('never shows or changes another user’s notifications', async () => {
    const list = await graphql(listQuery, { id: 'bob', first: 10 }, 'alice');
    expect(list.errors?.[0]?.extensions.code).toBe('FORBIDDEN');

    const byId = await graphql(
      `
        {
          notification(id: "bob-1") {
            id
          }
        }
      `,
      {},
      'alice',
    );
    expect(byId.data?.notification).toBeNull();

    const mark = await graphql(
      `
        mutation {
          markNotificationRead(input: { id: "bob-1" }) {
            notification {
              id
            }
          }
        }
      `,
      {},
      'alice',
    );
    expect(mark.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
  });

  it('welcomes a registered user once, and parks a malformed registration instead of guessing', async () => {
    const bus = new PostgresMessageBus(database, { logger });
    const registered = integrationEvent({
      type: USER_REGISTERED,
      source: '/core',
      subject: 'carol',
      data: { userId: 'carol', displayName: 'Carol', registeredAt: '2026-11-25T10:00:00.000Z' },
    });
    const malformed = integrationEvent({
      type: USER_REGISTERED,
      source: '/core',
      subject: 'dave',
      data: { userId: 'dave' },
    });
    await bus.publish([registered, registered, malformed]);

    const parked = async () =>
      (
        await database.query<{ message_id: string }>(
          `SELECT message_id FROM dead_letters WHERE consumer = 'notification.welcome-new-users'`,
        )
      ).rows.map((row) => row.message_id);
    for (let attempt = 0; attempt < 100 && (await parked()).length === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await parked()).toEqual([malformed.id]);
    const { rows } = await database.query<{ user_id: string; title: string }>(
      `SELECT user_id, title FROM notification.notifications WHERE type = 'WELCOME' AND user_id IN ('carol', 'dave')`,
    );
    expect(rows).toEqual([{ user_id: 'carol', title: 'Welcome to Simple Securities, Carol' }]);
  });

  it('resolves Notification references for their owner only', async () => {
    const references = `{
      _entities(representations: [
        { __typename: "Notification", id: "alice-1" },
        { __typename: "Notification", id: "bob-1" },
        { __typename: "Notification", id: "nobody-1" }
      ]) { ... on Notification { id title } }
    }`;
    const result = await graphql(references, {}, 'alice');
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([{ id: 'alice-1', title: 'Note 1' }, null, null]);
  });

  it('trusts no caller identity sent without a valid assertion', async () => {
    const query = '{ notification(id: "alice-1") { id } }';
    // What used to be enough: the internal token and a user id as plain headers.
    const staticHeaders = await fetch(service.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-internal-token': internalToken,
        'x-caller-id': 'alice',
      },
      body: JSON.stringify({ query }),
    });
    const asAnonymous = (await staticHeaders.json()) as {
      errors?: { extensions: { code: string } }[];
    };
    expect(asAnonymous.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');

    const forged = await fetch(service.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await callerHeaders(caller('alice'), 'not-the-internal-token', 'notification')),
      },
      body: JSON.stringify({ query }),
    });
    expect(((await forged.json()) as typeof asAnonymous).errors?.[0]?.extensions.code).toBe(
      'UNAUTHENTICATED',
    );

    // An assertion addressed to another subgraph is refused too.
    const elsewhere = await fetch(service.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await callerHeaders(caller('alice'), internalToken, 'core')),
      },
      body: JSON.stringify({ query }),
    });
    expect(((await elsewhere.json()) as typeof asAnonymous).errors?.[0]?.extensions.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('applies the query limits itself, to callers that reach it directly', async () => {
    const aliases = Array.from(
      { length: 31 },
      (_, i) => `n${i}: notification(id: "alice-1") { id }`,
    );
    const response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ ${aliases.join(' ')} }` }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      errors: { message: string; extensions: { code: string } }[];
    };
    expect(body.errors[0]).toMatchObject({
      message: expect.stringContaining('uses 31 aliases; the limit is 30'),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('asks anonymous callers to sign in', async () => {
    const result = await graphql(`
      {
        notification(id: "alice-1") {
          id
        }
      }
    `);
    expect(result.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('rejects bad paging input with BAD_USER_INPUT', async () => {
    const tooMany = await graphql(listQuery, { id: 'alice', first: 1000 }, 'alice');
    expect(tooMany.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    const badCursor = await graphql(
      listQuery,
      { id: 'alice', first: 1, after: 'not-a-cursor' },
      'alice',
    );
    expect(badCursor.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });
});
