import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dataOf, startTestStack, type TestStack } from '../support/running-stack.js';

interface Delivery {
  notificationId: string;
  attempt: number;
  status: string;
  httpStatus: number | null;
  error: string | null;
  at: string;
}

interface MyWebhook {
  me: {
    notificationWebhook: {
      url: string;
      enabled: boolean;
      deliveries: { edges: { node: Delivery }[] };
    } | null;
  };
}

const SET_WEBHOOK = `mutation ($input: SetNotificationWebhookInput!) {
  setNotificationWebhook(input: $input) { notificationWebhook { url enabled } }
}`;
const MY_WEBHOOK = `{ me { notificationWebhook { url enabled
  deliveries(first: 20) { edges { node { notificationId attempt status httpStatus error at } } }
} } }`;
const MY_WALLET_NOTIFICATIONS = `{ me { notifications(first: 5, type: WALLET) { edges { node { id title } } } } }`;
const DEPOSIT = `mutation ($input: DepositInput!) { deposit(input: $input) { wallet { available } } }`;

/** The local webhook answers 503 to the first two pushes of each notification, then 204. */
const FAILURES_BEFORE_SUCCESS = 2;

describe('notification webhooks through the router', () => {
  let stack: TestStack;
  let webhook: http.Server;
  let webhookUrl: string;
  const pushes = new Map<string, { content: string }[]>();

  beforeAll(async () => {
    webhook = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const id = String(request.headers['x-notification-id']);
        const seen = pushes.get(id) ?? [];
        seen.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { content: string });
        pushes.set(id, seen);
        if (seen.length <= FAILURES_BEFORE_SUCCESS) response.writeHead(503).end('busy');
        else response.writeHead(204).end();
      });
    });
    webhook.listen(0, '127.0.0.1');
    await once(webhook, 'listening');
    webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`;
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.close();
    webhook.closeAllConnections();
    webhook.close();
  });

  const myWebhook = async (token: string) =>
    dataOf((await stack.graphql<MyWebhook>(MY_WEBHOOK, { token })).body).me.notificationWebhook;

  /** Asks again until `ready` holds: delivery runs in the background. */
  const eventually = async <T>(read: () => Promise<T>, ready: (value: T) => boolean) => {
    for (let tries = 0; tries < 300; tries++) {
      const value = await read();
      if (ready(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('it never happened');
  };

  it('pushes a new notification to the owner’s webhook, retrying until it is taken, and shows the attempts to the owner only', async () => {
    const alice = await stack.signUp('hooked');
    const set = await stack.graphql(SET_WEBHOOK, {
      token: alice.token,
      variables: { input: { url: webhookUrl, enabled: true } },
    });
    expect(dataOf(set.body)).toEqual({
      setNotificationWebhook: { notificationWebhook: { url: webhookUrl, enabled: true } },
    });

    dataOf(
      (
        await stack.graphql(DEPOSIT, {
          token: alice.token,
          variables: { input: { asset: 'USD', amount: '250.00', idempotencyKey: 'hooked-1' } },
        })
      ).body,
    );
    const notifications = await eventually(
      async () =>
        dataOf(
          (
            await stack.graphql<{
              me: { notifications: { edges: { node: { id: string; title: string } }[] } };
            }>(MY_WALLET_NOTIFICATIONS, { token: alice.token })
          ).body,
        ).me.notifications.edges,
      (edges) => edges.length === 1,
    );
    const [edge] = notifications;
    if (!edge) throw new Error('the deposit was not notified');
    const deposit = edge.node;

    const delivered = await eventually(
      () => myWebhook(alice.token),
      (hook) =>
        hook?.deliveries.edges.some(
          ({ node }) => node.notificationId === deposit.id && node.status === 'DELIVERED',
        ) ?? false,
    );
    const attempts = (delivered?.deliveries.edges ?? [])
      .map(({ node }) => node)
      .filter((node) => node.notificationId === deposit.id);
    // Newest first: two failures, each followed by another attempt, then the push taken.
    expect(
      attempts.map(({ attempt, status, httpStatus, error }) => ({
        attempt,
        status,
        httpStatus,
        error,
      })),
    ).toEqual([
      { attempt: 3, status: 'DELIVERED', httpStatus: 204, error: null },
      {
        attempt: 2,
        status: 'RETRYING',
        httpStatus: 503,
        error: 'The webhook answered HTTP 503: busy',
      },
      {
        attempt: 1,
        status: 'RETRYING',
        httpStatus: 503,
        error: 'The webhook answered HTTP 503: busy',
      },
    ]);
    expect(pushes.get(deposit.id)?.map((push) => push.content)).toEqual([
      deposit.title,
      deposit.title,
      deposit.title,
    ]);

    // Another user sees no webhook and none of these attempts.
    const bob = await stack.signUp('curious');
    expect(await myWebhook(bob.token)).toBeNull();
  });

  it('refuses a webhook from an anonymous caller, and a URL that is not http(s)', async () => {
    const anonymous = await stack.graphql(SET_WEBHOOK, {
      variables: { input: { url: webhookUrl, enabled: true } },
    });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const { token } = await stack.signUp('hooked');
    const refused = await stack.graphql(SET_WEBHOOK, {
      token,
      variables: { input: { url: 'ftp://example.com/hook', enabled: true } },
    });
    expect(refused.body.errors?.[0]).toMatchObject({
      message: 'A webhook URL must start with https:// or http://.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(await myWebhook(token)).toBeNull();
  });
});
