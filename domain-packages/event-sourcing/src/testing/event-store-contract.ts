import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Decider } from '@simple-securities/shared-kernel';
import { handleCommand } from '../command-handling.js';
import { type EventStore, type RecordedEvent, isConcurrencyError } from '../event-store.js';
import type { SnapshotStore } from '../snapshot-store.js';
import type { Upcaster } from '../upcasting.js';

export interface EventStoreHarness {
  store: EventStore;
  snapshots: SnapshotStore;
  close(): Promise<void>;
}

export type OpenEventStore = (options: {
  upcasters: readonly Upcaster[];
}) => Promise<EventStoreHarness>;

const newStream = (prefix = 'stream') => `${prefix}-${crypto.randomUUID()}`;

/** Position of the newest event, so a test reads only what it wrote itself. */
const head = async (store: EventStore): Promise<number> => {
  let checkpoint = 0;
  for (;;) {
    const batch = await store.readAll({ after: checkpoint, maxCount: 10_000 });
    if (batch.checkpoint === checkpoint) return checkpoint;
    checkpoint = batch.checkpoint;
  }
};

const readEverything = async (store: EventStore, after: number): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  let checkpoint = after;
  for (;;) {
    const batch = await store.readAll({ after: checkpoint, maxCount: 500 });
    events.push(...batch.events);
    if (batch.checkpoint === checkpoint) return events;
    checkpoint = batch.checkpoint;
  }
};

type Counted = { type: 'Incremented'; by: number };
const counter: Decider<{ by: number }, number, Counted> = {
  initialState: 0,
  decide: (command) => [{ type: 'Incremented', by: command.by }],
  evolve: (state, event) => state + event.by,
};

const upcasters: Upcaster[] = [
  // v1 stored a full name; v2 splits it.
  {
    type: 'NameSet',
    fromSchemaVersion: 1,
    upcast: (data) => {
      const [first, last] = String((data as { name: string }).name).split(' ');
      return { first, last };
    },
  },
  {
    type: 'NameSet',
    fromSchemaVersion: 2,
    upcast: (data) => ({ ...(data as object), display: 'upcast twice' }),
  },
];

/**
 * The behaviour every EventStore adapter must show. Adapter-neutral: call it with a
 * factory for PGlite, a Postgres server, KurrentDB, or the in-memory store.
 */
export const eventStoreContract = (adapter: string, open: OpenEventStore): void => {
  describe(`EventStore contract — ${adapter}`, () => {
    let harness: EventStoreHarness;
    let store: EventStore;
    beforeAll(async () => {
      harness = await open({ upcasters });
      store = harness.store;
    });
    afterAll(() => harness.close());

    it('appends to a stream and reads it back in order with its metadata', async () => {
      const streamId = newStream();
      const result = await store.appendToStream(
        streamId,
        [
          {
            type: 'Opened',
            data: { owner: 'ada' },
            metadata: { correlationId: 'c-1', traceparent: '00-abc-def-01' },
          },
          { type: 'Deposited', data: { amount: '10.50' }, metadata: { causationId: 'cmd-1' } },
        ],
        { expectedVersion: 'no_stream' },
      );
      expect(result.nextExpectedVersion).toBe(2);
      const events = await store.readStream(streamId);
      expect(events.map((event) => [event.type, event.streamVersion])).toEqual([
        ['Opened', 1],
        ['Deposited', 2],
      ]);
      const [opened, deposited] = events as [RecordedEvent, RecordedEvent];
      expect(opened).toMatchObject({
        streamId,
        schemaVersion: 1,
        data: { owner: 'ada' },
        metadata: { correlationId: 'c-1', traceparent: '00-abc-def-01' },
      });
      expect(typeof opened.eventId).toBe('string');
      expect(opened.recordedAt).toBeInstanceOf(Date);
      expect(deposited.globalPosition).toBe(opened.globalPosition + 1);
      expect(result.lastPosition).toBe(deposited.globalPosition);
      expect(await store.readStream(streamId, { fromVersion: 2 })).toHaveLength(1);
      expect(await store.readStream(streamId, { maxCount: 1 })).toHaveLength(1);
      expect(await store.readStream(newStream())).toEqual([]);
    });

    it('checks the expected version and reports the actual one', async () => {
      const streamId = newStream();
      await store.appendToStream(streamId, [{ type: 'A', data: {} }], { expectedVersion: 0 });
      const conflict = await store
        .appendToStream(streamId, [{ type: 'B', data: {} }], { expectedVersion: 0 })
        .catch((error: unknown) => error);
      expect(isConcurrencyError(conflict)).toBe(true);
      expect(conflict).toMatchObject({ code: 'CONFLICT', actualVersion: 1, expectedVersion: 0 });
      await expect(
        store.appendToStream(streamId, [{ type: 'B', data: {} }], { expectedVersion: 5 }),
      ).rejects.toMatchObject({ actualVersion: 1 });
      await expect(
        store.appendToStream(newStream(), [{ type: 'B', data: {} }], {
          expectedVersion: 'stream_exists',
        }),
      ).rejects.toMatchObject({ actualVersion: 0 });
      await store.appendToStream(streamId, [{ type: 'B', data: {} }], { expectedVersion: 1 });
      await store.appendToStream(streamId, [{ type: 'C', data: {} }], {
        expectedVersion: 'stream_exists',
      });
      const last = await store.appendToStream(streamId, [{ type: 'D', data: {} }], {
        expectedVersion: 'any',
      });
      expect(last.nextExpectedVersion).toBe(4);
      expect((await store.readStream(streamId)).map((event) => event.type)).toEqual([
        'A',
        'B',
        'C',
        'D',
      ]);
    });

    it('lets exactly one of many concurrent appends with the same expected version win', async () => {
      const streamId = newStream();
      await store.appendToStream(streamId, [{ type: 'Created', data: {} }], {
        expectedVersion: 'no_stream',
      });
      for (let round = 1; round <= 3; round++) {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, (_, writer) =>
            store.appendToStream(streamId, [{ type: 'Raced', data: { writer, round } }], {
              expectedVersion: round,
            }),
          ),
        );
        const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost.every((outcome) => isConcurrencyError(outcome.reason))).toBe(true);
      }
      const versions = (await store.readStream(streamId)).map((event) => event.streamVersion);
      expect(versions).toEqual([1, 2, 3, 4]);
    });

    it('retries a command with a fresh decision after a conflict', async () => {
      const streamId = newStream('counter');
      await Promise.all(
        Array.from({ length: 6 }, () =>
          handleCommand(store, counter, streamId, { by: 1 }, { retries: 20 }),
        ),
      );
      const { state } = await handleCommand(store, counter, streamId, { by: 0 });
      expect(state).toBe(6);
    });

    it('reads the global log from a position, optionally filtered by type', async () => {
      const start = await head(store);
      const streamId = newStream();
      await store.appendToStream(
        streamId,
        [
          { type: 'Kept', data: { n: 1 } },
          { type: 'Skipped', data: { n: 2 } },
          { type: 'Kept', data: { n: 3 } },
        ],
        { expectedVersion: 'no_stream' },
      );
      const all = await store.readAll({ after: start });
      expect(all.events.map((event) => event.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(all.checkpoint).toBe(all.events.at(-1)?.globalPosition);
      const kept = await store.readAll({ after: start, types: ['Kept'] });
      expect(kept.events.map((event) => event.data)).toEqual([{ n: 1 }, { n: 3 }]);
      expect(kept.checkpoint).toBe(all.checkpoint);
      const rest = await store.readAll({ after: start + 1, maxCount: 1 });
      expect(rest.events.map((event) => event.data)).toEqual([{ n: 2 }]);
    });

    it('upcasts old schema versions on read, through every step of the chain', async () => {
      const streamId = newStream();
      const start = await head(store);
      await store.appendToStream(
        streamId,
        [
          { type: 'NameSet', schemaVersion: 1, data: { name: 'Ada Lovelace' } },
          {
            type: 'NameSet',
            schemaVersion: 3,
            data: { first: 'Grace', last: 'Hopper', display: 'new' },
          },
        ],
        { expectedVersion: 'no_stream' },
      );
      const expected = [
        { schemaVersion: 3, data: { first: 'Ada', last: 'Lovelace', display: 'upcast twice' } },
        { schemaVersion: 3, data: { first: 'Grace', last: 'Hopper', display: 'new' } },
      ];
      expect(await store.readStream(streamId)).toMatchObject(expected);
      expect((await store.readAll({ after: start })).events).toMatchObject(expected);
    });

    it('delivers every event exactly once, in log order, to a subscriber while 8 writers append', async () => {
      const start = await head(store);
      const sizeOf = (writer: number, append: number) => 1 + ((writer + append) % 3);
      let total = 0;
      for (let writer = 0; writer < 8; writer++)
        for (let append = 0; append < 25; append++) total += sizeOf(writer, append);
      const seen: number[] = [];
      const subscription = await store.subscribe(
        async (event) => {
          seen.push(event.globalPosition);
        },
        { after: start },
      );
      try {
        await Promise.all(
          Array.from({ length: 8 }, async (_, writer) => {
            for (let append = 0; append < 25; append++) {
              const size = sizeOf(writer, append);
              await store.appendToStream(
                newStream(`writer-${writer}`),
                Array.from({ length: size }, (_, n) => ({
                  type: 'Written',
                  data: { writer, append, n },
                })),
                { expectedVersion: 'no_stream' },
              );
            }
          }),
        );
        const logged = (await readEverything(store, start)).map((event) => event.globalPosition);
        expect(logged).toHaveLength(total);
        await subscription.waitFor(logged.at(-1) as number, 20_000);
        expect(seen).toEqual(logged);
      } finally {
        await subscription.stop();
      }
    });

    it('keeps the newest snapshot of a stream', async () => {
      const { snapshots } = harness;
      const streamId = newStream('snap');
      expect(await snapshots.load(streamId)).toBeUndefined();
      await snapshots.save({ streamId, version: 10, schemaVersion: 1, state: { total: 10 } });
      await snapshots.save({ streamId, version: 5, schemaVersion: 1, state: { total: 5 } });
      expect(await snapshots.load(streamId)).toEqual({
        streamId,
        version: 10,
        schemaVersion: 1,
        state: { total: 10 },
      });
    });

    it('rebuilds state from a snapshot plus the events after it', async () => {
      const { snapshots } = harness;
      const streamId = newStream('snap-counter');
      const policy = { store: snapshots, every: 3, schemaVersion: 1 };
      for (let i = 0; i < 7; i++)
        await handleCommand(store, counter, streamId, { by: 2 }, { snapshots: policy });
      const snapshot = await snapshots.load<number>(streamId);
      expect(snapshot?.version).toBe(6);
      expect(snapshot?.state).toBe(12);
      const { state, version } = await handleCommand(
        store,
        counter,
        streamId,
        { by: 1 },
        { snapshots: policy },
      );
      expect([state, version]).toEqual([15, 8]);
    });
  });
};
