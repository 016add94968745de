import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { pino } from 'pino';
import {
  NOTIFY_PAYLOAD_LIMIT_BYTES,
  openPostgresServerDatabase,
  postgresBroadcast,
  type SqlDatabase,
} from '../src/index.js';
import { describeOnEachEngine, describeOnPostgresServer } from '../src/testing/test-databases.js';

const quietLogger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

/** Collects what a subscriber hears; `received(n)` resolves once it has heard n payloads. */
const listener = () => {
  const heard: string[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  return {
    heard,
    hear(payload: string) {
      heard.push(payload);
      for (const wait of waiting.filter(({ count }) => heard.length >= count)) wait.resolve();
    },
    received: (count: number) =>
      new Promise<void>((resolve) => {
        if (heard.length >= count) resolve();
        else waiting.push({ count, resolve });
      }),
  };
};

const messages = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, n) => `${prefix}-${n}-${'x'.repeat(100)}`);

await describeOnEachEngine('a Postgres broadcast', (engine) => {
  let database: SqlDatabase;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database.close());

  it('delivers every message once and in order, however many notifications they fill', async () => {
    const broadcast = postgresBroadcast(database, 'broadcast_order', quietLogger);
    const subscriber = listener();
    const stop = await broadcast.subscribe(subscriber.hear);
    // 300 messages of ~110 bytes are several notifications' worth
    const first = messages('first', 300);
    const second = messages('second', 5);
    broadcast.publish(first.slice(0, 150));
    broadcast.publish(first.slice(150));
    await Promise.resolve();
    broadcast.publish(second);

    await subscriber.received(first.length + second.length);
    await stop();

    expect(subscriber.heard).toEqual([...first, ...second]);
  });

  it('drops only a message too large for a notification', async () => {
    const broadcast = postgresBroadcast(database, 'broadcast_limit', quietLogger);
    const subscriber = listener();
    const stop = await broadcast.subscribe(subscriber.hear);

    broadcast.publish(['before', 'y'.repeat(NOTIFY_PAYLOAD_LIMIT_BYTES), 'after']);

    await subscriber.received(2);
    await stop();
    expect(subscriber.heard).toEqual(['before', 'after']);
  });
});

await describeOnPostgresServer('a Postgres broadcast across replicas', (server) => {
  let replicaA: SqlDatabase;
  let replicaB: SqlDatabase;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const scratch = await server.createDatabase();
    drop = scratch.drop;
    replicaA = openPostgresServerDatabase(scratch.url);
    replicaB = openPostgresServerDatabase(scratch.url);
  });
  afterAll(async () => {
    await Promise.all([replicaA.close(), replicaB.close()]);
    await drop();
  });

  it("reaches every replica's subscribers, the publishing replica's included", async () => {
    const onA = listener();
    const onB = listener();
    const stopA = await postgresBroadcast(replicaA, 'broadcast_replicas', quietLogger).subscribe(
      onA.hear,
    );
    const stopB = await postgresBroadcast(replicaB, 'broadcast_replicas', quietLogger).subscribe(
      onB.hear,
    );

    const sent = messages('tick', 50);
    postgresBroadcast(replicaA, 'broadcast_replicas', quietLogger).publish(sent);

    await Promise.all([onA.received(sent.length), onB.received(sent.length)]);
    await Promise.all([stopA(), stopB()]);
    expect(onA.heard).toEqual(sent);
    expect(onB.heard).toEqual(sent);
  });

  it('says so and listens again when its listening connection drops', async () => {
    const logLines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString());
          done();
        },
      }),
    );
    const subscriber = listener();
    const stop = await postgresBroadcast(replicaB, 'broadcast_drop', logger).subscribe(
      subscriber.hear,
    );
    const { rows } = await replicaA.query<{ killed: boolean }>(
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
        WHERE datname = current_database() AND query = 'LISTEN "broadcast_drop"'`,
    );
    expect(rows).toEqual([{ killed: true }]);

    // Keep publishing until the replica hears again: what is sent while it is down is lost.
    const publisher = postgresBroadcast(replicaA, 'broadcast_drop', quietLogger);
    const heardAgain = subscriber.received(1);
    let attempt = 0;
    let heard = false;
    void heardAgain.then(() => (heard = true));
    while (!heard) {
      publisher.publish([`after-drop-${attempt++}`]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await stop();

    expect(subscriber.heard[0]).toMatch(/^after-drop-\d+$/);
    expect(logLines.join('')).toContain('the connection listening on broadcast_drop dropped');
    expect(logLines.join('')).toContain('listening on broadcast_drop again');
  });
});
