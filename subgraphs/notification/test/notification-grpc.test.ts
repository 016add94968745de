import { afterAll, beforeAll, expect, it } from '@jest/globals';
import {
  type Client,
  credentials,
  loadPackageDefinition,
  type makeGenericClientConstructor,
  type ServiceError,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import {
  NotificationClient,
  NotificationType,
  type SendRequest,
} from '@simple-securities/notification-client';
import { migrate, PostgresMessageBus, type SqlDatabase } from '@simple-securities/postgres';
import { describeOnEachEngine } from '@simple-securities/postgres/testing';
import { loadConfig, migrationsOf, type RunningService } from '@simple-securities/service-kit';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import pino from 'pino';
import { notificationSubgraph, startNotificationService } from '../src/composition-root.js';
import { notificationConfig } from '../src/config.js';

const internalToken = 'notification-grpc-test-internal-token';
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const codeOf = (error: unknown) => (error as ServiceError).code;
const refusal = (call: Promise<unknown>) => call.then(() => 'OK', codeOf);

type HealthCheck = (
  request: { service: string },
  callback: (error: ServiceError | null, response: unknown) => void,
) => void;

await describeOnEachEngine('the gRPC notification service', (engine) => {
  let database: SqlDatabase;
  let service: RunningService;
  let client: NotificationClient;
  let address: string;

  const send = (overrides: Partial<SendRequest> = {}): SendRequest => ({
    notificationId: 'ops-1',
    userId: 'alice',
    type: NotificationType.NOTIFICATION_TYPE_SYSTEM,
    title: 'Maintenance tonight',
    body: 'Trading pauses from 02:00 to 02:15 UTC.',
    ...overrides,
  });

  beforeAll(async () => {
    database = await engine.open();
    await migrate({ database, directories: migrationsOf([notificationSubgraph]), logger });
    service = await startNotificationService({
      database,
      bus: new PostgresMessageBus(database, { logger }),
      logger,
      config: loadConfig(notificationConfig, { NOTIFICATION_GRPC_PORT: '0' }),
      server: { port: 0, host: '127.0.0.1', internalToken },
      clock: { now: () => new Date() },
    });
    if (!service.internalGrpc) throw new Error('the notification service reported no gRPC address');
    address = service.internalGrpc;
    // Generous: the test is about correctness, on machines of any speed.
    client = new NotificationClient({ address, internalToken, deadlineMs: 60_000 });
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await service?.stop();
    await database?.close();
  });

  it('sends a notification once, however often the send is retried', async () => {
    const first = await client.send(send());
    expect(first).toMatchObject({
      replayed: false,
      notification: {
        id: 'ops-1',
        userId: 'alice',
        type: NotificationType.NOTIFICATION_TYPE_SYSTEM,
        title: 'Maintenance tonight',
      },
    });
    expect(first.notification?.createdAt).toBeInstanceOf(Date);
    expect(first.notification?.readAt).toBeUndefined();

    expect(await client.send(send())).toEqual({ ...first, replayed: true });
    const { notifications } = await client.listByUser({
      userId: 'alice',
      pageSize: 10,
      pageToken: '',
      unreadOnly: false,
      type: NotificationType.NOTIFICATION_TYPE_UNSPECIFIED,
    });
    expect(notifications.map((n) => n.id)).toEqual(['ops-1']);
    // The same id with another payload is another notification: refused.
    expect(await refusal(client.send(send({ title: 'Something else' })))).toBe(
      status.ALREADY_EXISTS,
    );
  });

  it('reads a notification by its id', async () => {
    await client.send(send({ notificationId: 'ops-get', userId: 'bob' }));
    const { notification } = await client.getById({ id: 'ops-get' });
    expect(notification).toMatchObject({
      id: 'ops-get',
      userId: 'bob',
      title: 'Maintenance tonight',
    });
    expect(await refusal(client.getById({ id: 'nobody-sent-this' }))).toBe(status.NOT_FOUND);
  });

  it("lists a user's notifications newest first, a page at a time, filtered", async () => {
    for (const n of [1, 2, 3])
      await client.send(
        send({
          notificationId: `carol-${n}`,
          userId: 'carol',
          title: `Note ${n}`,
          type:
            n === 2
              ? NotificationType.NOTIFICATION_TYPE_WALLET
              : NotificationType.NOTIFICATION_TYPE_SYSTEM,
        }),
      );
    const page = (pageToken: string, type = NotificationType.NOTIFICATION_TYPE_UNSPECIFIED) =>
      client.listByUser({ userId: 'carol', pageSize: 2, pageToken, unreadOnly: false, type });

    const first = await page('');
    expect(first.notifications.map((n) => n.title)).toEqual(['Note 3', 'Note 2']);
    expect(first.nextPageToken).not.toBe('');
    const second = await page(first.nextPageToken);
    expect(second.notifications.map((n) => n.title)).toEqual(['Note 1']);
    expect(second.nextPageToken).toBe('');

    const wallet = await page('', NotificationType.NOTIFICATION_TYPE_WALLET);
    expect(wallet.notifications.map((n) => n.title)).toEqual(['Note 2']);
  });

  it('refuses bad requests with INVALID_ARGUMENT', async () => {
    expect(await refusal(client.send(send({ notificationId: '' })))).toBe(status.INVALID_ARGUMENT);
    expect(await refusal(client.send(send({ notificationId: 'blank', title: '  ' })))).toBe(
      status.INVALID_ARGUMENT,
    );
    expect(
      await refusal(
        client.send(
          send({ notificationId: 'untyped', type: NotificationType.NOTIFICATION_TYPE_UNSPECIFIED }),
        ),
      ),
    ).toBe(status.INVALID_ARGUMENT);
    const list = (pageSize: number, pageToken = '') =>
      client.listByUser({
        userId: 'alice',
        pageSize,
        pageToken,
        unreadOnly: false,
        type: NotificationType.NOTIFICATION_TYPE_UNSPECIFIED,
      });
    expect(await refusal(list(101))).toBe(status.INVALID_ARGUMENT);
    expect(await refusal(list(10, 'not-a-token'))).toBe(status.INVALID_ARGUMENT);
  });

  it('refuses a caller without the internal service token', async () => {
    const stranger = new NotificationClient({ address, internalToken: 'wrong-token', attempts: 1 });
    expect(await refusal(stranger.getById({ id: 'ops-1' }))).toBe(status.UNAUTHENTICATED);
    expect(await refusal(stranger.send(send({ notificationId: 'intruder' })))).toBe(
      status.UNAUTHENTICATED,
    );
    stranger.close();
    expect(await refusal(client.getById({ id: 'intruder' }))).toBe(status.NOT_FOUND);
  });

  it('ends a call that outlives its deadline with DEADLINE_EXCEEDED', async () => {
    // A deadline already over when the call leaves: the service cannot answer in time.
    const hurried = new NotificationClient({ address, internalToken, deadlineMs: 0, attempts: 1 });
    expect(await refusal(hurried.getById({ id: 'ops-1' }))).toBe(status.DEADLINE_EXCEEDED);
    hurried.close();
  });

  it('offers the standard health service', async () => {
    const definition = loadPackageDefinition(loadSync(healthProtoPath)) as unknown as {
      grpc: { health: { v1: { Health: ReturnType<typeof makeGenericClientConstructor> } } };
    };
    const health: Client = new definition.grpc.health.v1.Health(
      address,
      credentials.createInsecure(),
    );
    const answer = await new Promise((resolve, reject) =>
      (health as unknown as { check: HealthCheck }).check(
        { service: 'notification.v1.NotificationService' },
        (error, response) => (error ? reject(error) : resolve(response)),
      ),
    );
    expect(answer).toEqual({ status: 1 }); // SERVING in health.proto's enum
    health.close();
  });
});
