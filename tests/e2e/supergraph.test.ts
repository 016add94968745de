import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/running-stack.js';

describe('the supergraph through the router', () => {
  let stack: TestStack;
  let aliceToken: string;

  beforeAll(async () => {
    stack = await startTestStack();
    aliceToken = await stack.signIn('alice@example.com', 'alice-password-1');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('tells a signed-in demo user who they are', async () => {
    const { body } = await stack.graphql<{ me: { id: string; email: string } }>(
      '{ me { id email } }',
      {
        token: aliceToken,
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.me.email).toBe('alice@example.com');
  });

  it('answers one query on User with fields from every subgraph', async () => {
    const { body } = await stack.graphql<{
      me: {
        displayName: string;
        unreadNotificationCount: number;
        cryptoOrders: { edges: unknown[] };
        stockOrders: { edges: unknown[] };
      };
    }>(
      `{ me {
          displayName
          unreadNotificationCount
          cryptoOrders(first: 5) { edges { node { id } } }
          stockOrders(first: 5) { edges { node { id } } }
        } }`,
      { token: aliceToken },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.me).toMatchObject({
      displayName: 'Alice',
      cryptoOrders: { edges: [] },
      stockOrders: { edges: [] },
    });
    expect(typeof body.data?.me.unreadNotificationCount).toBe('number');
  });

  it('signs up a new user who can then sign in', async () => {
    const signUp = await stack.graphql<{ signUp: { token: string; user: { email: string } } }>(
      'mutation { signUp(input: { email: "carol@example.com", password: "carol-password-1", displayName: "Carol" }) { token user { email } } }',
    );
    expect(signUp.body.data?.signUp.user.email).toBe('carol@example.com');
    const token = await stack.signIn('carol@example.com', 'carol-password-1');
    const me = await stack.graphql<{ me: { displayName: string } }>('{ me { displayName } }', {
      token,
    });
    expect(me.body.data?.me.displayName).toBe('Carol');
  });

  it('welcomes a new user with a notification, delivered from core through the event bus', async () => {
    await stack.graphql(
      'mutation { signUp(input: { email: "erin@example.com", password: "erin-password-1", displayName: "Erin" }) { token } }',
    );
    const token = await stack.signIn('erin@example.com', 'erin-password-1');
    const query =
      '{ me { unreadNotificationCount notifications(first: 5) { edges { node { type title read } } } } }';
    type Me = {
      me: { unreadNotificationCount: number; notifications: { edges: { node: unknown }[] } };
    };
    let me: Me['me'] | undefined;
    for (let attempt = 0; attempt < 50 && !me?.notifications.edges.length; attempt++) {
      if (attempt) await new Promise((resolve) => setTimeout(resolve, 100));
      me = (await stack.graphql<Me>(query, { token })).body.data?.me;
    }
    expect(me?.unreadNotificationCount).toBe(1);
    expect(me?.notifications.edges).toEqual([
      { node: { type: 'WELCOME', title: 'Welcome to Simple Securities, Erin', read: false } },
    ]);
  });

  it('gives each kind of bad input its code and keeps serving', async () => {
    const codeOf = async (query: string, token?: string) =>
      (await stack.graphql(query, token ? { token } : {})).body.errors?.[0]?.extensions?.code;

    expect(
      await codeOf(
        'mutation { signUp(input: { email: "alice@example.com", password: "another-password-1", displayName: "A" }) { token } }',
      ),
    ).toBe('CONFLICT');
    expect(
      await codeOf(
        'mutation { signUp(input: { email: "not-an-email", password: "another-password-1", displayName: "A" }) { token } }',
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      await codeOf(
        'mutation { signUp(input: { email: "dave@example.com", password: "short", displayName: "D" }) { token } }',
      ),
    ).toBe('BAD_USER_INPUT');

    const wrongPassword = await stack.graphql(
      'mutation { signIn(input: { email: "alice@example.com", password: "wrong-password-1" }) { token } }',
    );
    const unknownEmail = await stack.graphql(
      'mutation { signIn(input: { email: "nobody@example.com", password: "wrong-password-1" }) { token } }',
    );
    expect(wrongPassword.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(unknownEmail.body.errors?.[0]).toEqual(wrongPassword.body.errors?.[0]);

    expect(await codeOf('{ me { id } }')).toBe('UNAUTHENTICATED');
    expect(await codeOf('{ me { id } }', 'not-a-jwt')).toBe('UNAUTHENTICATED');

    const still = await stack.graphql<{ me: { email: string } }>('{ me { email } }', {
      token: aliceToken,
    });
    expect(still.body.data?.me.email).toBe('alice@example.com');
  });

  it('shows no internals when a request is malformed', async () => {
    const { body } = await stack.graphql('{ me { noSuchField } }', { token: aliceToken });
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|at .*\.ts:/i);
  });

  it('is ready when every subgraph answers', async () => {
    const ready = await fetch(new URL('/ready', stack.router.url));
    expect(ready.status).toBe(200);
  });
});
