import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Subscription } from '../event-store.js';
import { type DeliveredEvent, integrationEvent } from '../integration-event.js';
import type { DeadLetterQueue, MessageBus, MessageHandler } from '../message-bus.js';
import type { Outbox } from '../outbox.js';

export interface MessageBusHarness<Tx> {
  bus: MessageBus<Tx>;
  outbox: Outbox<Tx>;
  deadLetters: DeadLetterQueue;
  /** A transaction of the store the outbox lives in. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** The state change that goes with outbox events (e.g. a user row). */
  writeState(tx: Tx, key: string): Promise<void>;
  stateExists(key: string): Promise<boolean>;
  /** A handler's write; counting them proves "applied exactly once". */
  recordEffect(tx: Tx, key: string): Promise<void>;
  effectCount(key: string): Promise<number>;
  idempotent(handler: MessageHandler<Tx>): MessageHandler<Tx>;
  close(): Promise<void>;
}

const event = (subject: string, data: unknown, type = 'test.happened.v1') =>
  integrationEvent({ type, source: '/contract', subject, data });

const group = (name: string) => `${name}-${crypto.randomUUID()}`;

const eventually = async (check: () => Promise<boolean>, what: string, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/**
 * The behaviour every MessageBus + Outbox adapter must show: the Postgres log bus now,
 * Kafka later. Each test uses its own consumer groups and subjects.
 */
export const messageBusContract = <Tx>(
  adapter: string,
  open: () => Promise<MessageBusHarness<Tx>>,
): void => {
  describe(`MessageBus contract — ${adapter}`, () => {
    let h: MessageBusHarness<Tx>;
    const running: Subscription[] = [];
    const consume = async (handler: MessageHandler<Tx>, consumer: string, options: object = {}) => {
      const subscription = await h.bus.consume(handler, { consumer, ...options });
      running.push(subscription);
      return subscription;
    };
    beforeAll(async () => {
      h = await open();
    });
    afterAll(async () => {
      await Promise.all(running.map((subscription) => subscription.stop()));
      await h.close();
    });

    it('delivers CloudEvents envelopes, in order per subject', async () => {
      const subject = `order-${crypto.randomUUID()}`;
      const published = [1, 2, 3, 4, 5].map((n) => ({
        ...event(subject, { n }),
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      }));
      const received: DeliveredEvent[] = [];
      await consume(async (delivered) => {
        if (delivered.subject === subject) received.push(delivered);
      }, group('order'));
      for (const envelope of published) await h.bus.publish([envelope]);
      await eventually(async () => received.length === 5, 'five events');
      expect(received.map((delivered) => delivered.data)).toEqual(published.map((e) => e.data));
      const [first] = received;
      expect(first).toMatchObject({
        specversion: '1.0',
        id: published[0]?.id,
        type: 'test.happened.v1',
        source: '/contract',
        subject,
        datacontenttype: 'application/json',
        traceparent: published[0]?.traceparent,
      });
      expect(typeof first?.position).toBe('number');
    });

    it('resumes a consumer group from its durable checkpoint; another group starts from the beginning', async () => {
      const subject = `resume-${crypto.randomUUID()}`;
      const name = group('resume');
      const seen: unknown[] = [];
      const handler: MessageHandler<Tx> = async (delivered) => {
        if (delivered.subject === subject) seen.push(delivered.data);
      };
      await h.bus.publish([event(subject, 1), event(subject, 2)]);
      const first = await consume(handler, name);
      await eventually(async () => seen.length === 2, 'first two');
      await first.stop();
      await h.bus.publish([event(subject, 3)]);
      await consume(handler, name);
      await eventually(async () => seen.length === 3, 'the third');
      const other: unknown[] = [];
      await consume(async (delivered) => {
        if (delivered.subject === subject) other.push(delivered.data);
      }, group('other'));
      await eventually(async () => other.length === 3, 'all three in another group');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen).toEqual([1, 2, 3]);
      expect(other).toEqual([1, 2, 3]);
    });

    it('publishes an event id once, even when the publish is retried', async () => {
      const subject = `dedupe-${crypto.randomUUID()}`;
      const envelope = event(subject, 'once');
      await h.bus.publish([envelope]);
      await h.bus.publish([envelope]);
      const seen: string[] = [];
      const sentinel = event(subject, 'sentinel');
      await h.bus.publish([sentinel]);
      await consume(async (delivered) => {
        if (delivered.subject === subject) seen.push(delivered.id);
      }, group('dedupe'));
      await eventually(async () => seen.includes(sentinel.id), 'the sentinel');
      expect(seen).toEqual([envelope.id, sentinel.id]);
    });

    it('commits outbox events with the state change, and loses both on rollback', async () => {
      const committed = `user-${crypto.randomUUID()}`;
      const rolledBack = `user-${crypto.randomUUID()}`;
      await h.transaction(async (tx) => {
        await h.writeState(tx, committed);
        await h.outbox.enqueue(tx, [
          event(committed, { user: committed }, 'core.user.registered.v1'),
        ]);
      });
      await expect(
        h.transaction(async (tx) => {
          await h.writeState(tx, rolledBack);
          await h.outbox.enqueue(tx, [
            event(rolledBack, { user: rolledBack }, 'core.user.registered.v1'),
          ]);
          throw new Error('the use case failed after writing');
        }),
      ).rejects.toThrow('the use case failed');
      const subjects: string[] = [];
      const sentinel = event(`sentinel-${crypto.randomUUID()}`, {});
      await h.bus.publish([sentinel]);
      await consume(async (delivered) => {
        subjects.push(delivered.subject);
      }, group('outbox'));
      await eventually(async () => subjects.includes(sentinel.subject), 'the sentinel');
      expect(await h.stateExists(committed)).toBe(true);
      expect(await h.stateExists(rolledBack)).toBe(false);
      expect(subjects).toContain(committed);
      expect(subjects).not.toContain(rolledBack);
    });

    it("applies a handler's writes exactly once with the checkpoint, retries with backoff, parks poison events and replays them; after-commit effects run once per committed event", async () => {
      const subject = `poison-${crypto.randomUUID()}`;
      const name = group('poison');
      let fixed = false;
      const attempts = new Map<string, number>();
      /** Per after-commit effect: the event and how many of its writes were committed by then. */
      const afterCommits: Promise<[string, number]>[] = [];
      const poison = event(subject, { poison: true });
      const flaky = event(subject, { flaky: true });
      const healthy = event(subject, { healthy: true });
      await h.bus.publish([poison, flaky, healthy]);
      await consume(
        async (delivered, { tx, afterCommit }) => {
          if (delivered.subject !== subject) return;
          attempts.set(delivered.id, (attempts.get(delivered.id) ?? 0) + 1);
          await h.recordEffect(tx, delivered.id);
          afterCommit(() =>
            afterCommits.push(h.effectCount(delivered.id).then((count) => [delivered.id, count])),
          );
          if (delivered.id === poison.id && !fixed) throw new Error('cannot handle poison');
          if (delivered.id === flaky.id && (attempts.get(flaky.id) ?? 0) < 2)
            throw new Error('flaky once');
        },
        name,
        { retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20 } },
      );
      await eventually(async () => (await h.effectCount(healthy.id)) === 1, 'the healthy event');
      expect(attempts.get(poison.id)).toBe(3);
      expect(attempts.get(flaky.id)).toBe(2);
      // Failed attempts rolled their writes back: one effect per handled event, none for the poison.
      expect(await h.effectCount(poison.id)).toBe(0);
      expect(await h.effectCount(flaky.id)).toBe(1);

      const parked = await h.deadLetters.list({ consumer: name });
      expect(parked).toHaveLength(1);
      expect(parked[0]).toMatchObject({
        consumer: name,
        status: 'parked',
        attempts: 3,
        event: { id: poison.id, subject },
      });
      expect(parked[0]?.error).toContain('cannot handle poison');

      fixed = true;
      await h.deadLetters.requestReplay(parked[0]?.id as number);
      await eventually(
        async () => (await h.effectCount(poison.id)) === 1,
        'the replayed poison event',
      );
      await eventually(
        async () => (await h.deadLetters.get(parked[0]?.id as number))?.status === 'resolved',
        'the dead letter resolved',
      );
      await expect(h.deadLetters.requestReplay(parked[0]?.id as number)).rejects.toThrow(
        /resolved/,
      );
      // Rolled-back attempts dropped theirs; each ran once its event's write was committed.
      expect((await Promise.all(afterCommits)).sort()).toEqual(
        [
          [flaky.id, 1],
          [healthy.id, 1],
          [poison.id, 1],
        ].sort(),
      );
    });

    it("skips an already processed event id atomically with the handler's writes", async () => {
      const name = group('idempotent');
      const delivered = { ...event(`idem-${crypto.randomUUID()}`, {}), position: 1 };
      let failAfterWriting = true;
      const handler = h.idempotent(async (message, { tx }) => {
        await h.recordEffect(tx, message.id);
        if (failAfterWriting) throw new Error('crash after the write');
      });
      const context = (tx: Tx) => ({ tx, attempt: 1, consumer: name, afterCommit: () => {} });
      await expect(h.transaction((tx) => handler(delivered, context(tx)))).rejects.toThrow('crash');
      failAfterWriting = false;
      await h.transaction((tx) => handler(delivered, context(tx)));
      await h.transaction((tx) => handler(delivered, context(tx)));
      expect(await h.effectCount(delivered.id)).toBe(1);
    });

    it('never skips an event while 8 publishers write concurrently', async () => {
      const prefix = `burst-${crypto.randomUUID()}`;
      const seen: DeliveredEvent[] = [];
      await consume(async (delivered) => {
        if (delivered.subject.startsWith(prefix)) seen.push(delivered);
      }, group('burst'));
      await Promise.all(
        Array.from({ length: 8 }, async (_, publisher) => {
          for (let n = 0; n < 30; n++) {
            const subject = `${prefix}-${publisher}`;
            if (n % 3 === 0) await h.transaction((tx) => h.outbox.enqueue(tx, [event(subject, n)]));
            else await h.bus.publish([event(subject, n)]);
          }
        }),
      );
      await eventually(async () => seen.length >= 240, 'all 240 events');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen).toHaveLength(240);
      expect(new Set(seen.map((delivered) => delivered.id)).size).toBe(240);
      const positions = seen.map((delivered) => delivered.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      for (let publisher = 0; publisher < 8; publisher++) {
        const ordered = seen.filter((delivered) => delivered.subject === `${prefix}-${publisher}`);
        expect(ordered.map((delivered) => delivered.data)).toEqual(
          Array.from({ length: 30 }, (_, n) => n),
        );
      }
    });
  });
};
