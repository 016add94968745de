import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { NotificationClient, NotificationType } from '@simple-securities/notification-client';
import { migrate, PostgresMessageBus, type SqlDatabase } from '@simple-securities/postgres';
import { describeOnEachEngine } from '@simple-securities/postgres/testing';
import {
  callerHeaders,
  loadConfig,
  migrationsOf,
  type RunningService,
} from '@simple-securities/service-kit';
import type { Clock } from '@simple-securities/shared-kernel';
import pino from 'pino';
import { notificationSubgraph, startNotificationService } from '../src/composition-root.js';
import { notificationConfig } from '../src/config.js';

const internalToken = 'webhook-delivery-test-internal-token';
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

const WEBHOOK_QUERY = `query ($id: ID!) {
  _entities(representations: [{ __typename: "User", id: $id }]) {
    ... on User { notificationWebhook { enabled deliveries(first: 10) { edges { node {
      notificationId attempt status httpStatus error
    } } } } }
  }
}`;

interface Attempt {
  notificationId: string;
  attempt: number;
  status: string;
  httpStatus: number | null;
  error: string | null;
}

await describeOnEachEngine('webhook delivery', (engine) => {
  let database: SqlDatabase;
  let service: RunningService | undefined;
  let webhook: http.Server;
  let webhookUrl: string;
  const pushed: string[] = [];

  /** The service on `database`, retrying after a minute, on the given clock. */
  const start = (clock: Clock) =>
    startNotificationService({
      database,
      bus: new PostgresMessageBus(database, { logger }),
      logger,
      config: loadConfig(notificationConfig, {
        NOTIFICATION_GRPC_PORT: '0',
        NOTIFICATION_WEBHOOK_ALLOW_PRIVATE: 'true',
        NOTIFICATION_WEBHOOK_BACKOFF_MS: '60000',
      }),
      server: { port: 0, host: '127.0.0.1', internalToken },
      clock,
    });

  const graphql = async (
    running: RunningService,
    query: string,
    variables: Record<string, unknown>,
    userId: string,
  ) => {
    const caller = { userId, roles: ['USER'], permissions: [] };
    const response = await fetch(running.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await callerHeaders(caller, internalToken, 'notification')),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as {
      data?: {
        _entities?: {
          notificationWebhook: { deliveries: { edges: { node: Attempt }[] } } | null;
        }[];
      };
      errors?: { message: string; extensions: { code: string } }[];
    };
  };

  const attemptsOf = async (running: RunningService, userId: string) => {
    const { data } = await graphql(running, WEBHOOK_QUERY, { id: userId }, userId);
    return (
      data?._entities?.[0]?.notificationWebhook?.deliveries.edges.map(({ node }) => node) ?? []
    );
  };

  const eventually = async (read: () => Promise<Attempt[]>, ready: (a: Attempt[]) => boolean) => {
    for (let tries = 0; tries < 300; tries++) {
      const value = await read();
      if (ready(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('it never happened');
  };

  beforeAll(async () => {
    database = await engine.open();
    await migrate({ database, directories: migrationsOf([notificationSubgraph]), logger });
    // Refuses the first push of each notification, takes the next.
    webhook = http.createServer((request, response) => {
      const id = String(request.headers['x-notification-id']);
      pushed.push(id);
      request.resume();
      request.on('end', () =>
        pushed.filter((seen) => seen === id).length === 1
          ? response.writeHead(500).end('down for maintenance')
          : response.writeHead(204).end(),
      );
    });
    webhook.listen(0, '127.0.0.1');
    await once(webhook, 'listening');
    webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`;
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await database?.close();
    webhook.closeAllConnections();
    webhook.close();
  });

  it('finishes a push after a restart: the pending push is in Postgres, not in memory', async () => {
    service = await start({ now: () => new Date() });
    const set = await graphql(
      service,
      `
        mutation ($input: SetNotificationWebhookInput!) {
          setNotificationWebhook(input: $input) {
            notificationWebhook {
              enabled
            }
          }
        }
      `,
      { input: { url: webhookUrl, enabled: true } },
      'dana',
    );
    expect(set.errors).toBeUndefined();

    // Another service sends over gRPC; the webhook refuses the first push.
    const client = new NotificationClient({
      address: service.internalGrpc ?? '',
      internalToken,
      deadlineMs: 60_000,
    });
    await client.send({
      notificationId: 'restart-1',
      userId: 'dana',
      type: NotificationType.NOTIFICATION_TYPE_ACCOUNT,
      title: 'Password changed',
      body: 'If this was not you, contact support.',
    });
    client.close();
    const firstRun = service;
    expect(
      await eventually(
        () => attemptsOf(firstRun, 'dana'),
        (attempts) => attempts.length === 1,
      ),
    ).toEqual([
      {
        notificationId: 'restart-1',
        attempt: 1,
        status: 'RETRYING',
        httpStatus: 500,
        error: 'The webhook answered HTTP 500: down for maintenance',
      },
    ]);

    // Stopped before the next attempt (a minute away); started again two minutes later.
    await service.stop();
    service = await start({ now: () => new Date(Date.now() + 120_000) });
    const secondRun = service;
    const attempts = await eventually(
      () => attemptsOf(secondRun, 'dana'),
      (found) => found.some((attempt) => attempt.status === 'DELIVERED'),
    );
    expect(attempts.map(({ attempt, status }) => `${attempt} ${status}`)).toEqual([
      '2 DELIVERED',
      '1 RETRYING',
    ]);
    expect(pushed.filter((id) => id === 'restart-1')).toHaveLength(2);
  });

  it("refuses to show a user's webhook to anyone else", async () => {
    if (!service) throw new Error('the service did not start');
    const { errors } = await graphql(service, WEBHOOK_QUERY, { id: 'dana' }, 'eve');
    expect(errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  });
});
