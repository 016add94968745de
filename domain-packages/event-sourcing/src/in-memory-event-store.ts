import {
  type AppendResult,
  type EventHandler,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  ConcurrencyError,
  matchesExpectedVersion,
} from './event-store.js';
import { type Upcaster, upcasterChain } from './upcasting.js';
import { checkpointWaiters } from './checkpoint-waiters.js';

/**
 * An event store in a JavaScript array, for fast unit tests of command and event
 * handlers only. It passes the same contract suite as the Postgres adapter but
 * holds nothing durable; never wire it into a running service.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly listeners = new Set<() => void>();
  private readonly upcast;

  constructor(options: { upcasters?: readonly Upcaster[] } = {}) {
    this.upcast = upcasterChain(options.upcasters ?? []);
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    const stream = this.streams.get(streamId) ?? [];
    if (!matchesExpectedVersion(options.expectedVersion, stream.length))
      throw new ConcurrencyError(streamId, options.expectedVersion, stream.length);
    const recordedAt = new Date();
    for (const event of events) {
      const recorded: RecordedEvent = {
        eventId: event.eventId ?? crypto.randomUUID(),
        type: event.type,
        schemaVersion: event.schemaVersion ?? 1,
        data: structuredClone(event.data),
        streamId,
        streamVersion: stream.length + 1,
        globalPosition: this.log.length + 1,
        recordedAt,
        metadata: { ...event.metadata },
      };
      stream.push(recorded);
      this.log.push(recorded);
    }
    this.streams.set(streamId, stream);
    for (const listener of this.listeners) listener();
    return { nextExpectedVersion: stream.length, lastPosition: this.log.length };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = Math.max(options.fromVersion ?? 1, 1) - 1;
    const to = options.maxCount === undefined ? undefined : from + options.maxCount;
    return (this.streams.get(streamId) ?? []).slice(from, to).map(this.upcast);
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const after = options.after ?? 0;
    const window = this.log.slice(after, after + (options.maxCount ?? 1000));
    const checkpoint = window.at(-1)?.globalPosition ?? after;
    const types = options.types;
    const events = types ? window.filter((event) => types.includes(event.type)) : window;
    return { events: events.map(this.upcast), checkpoint };
  }

  async subscribe(handler: EventHandler, options: SubscribeOptions): Promise<Subscription> {
    let checkpoint = options.after;
    let stopped = false;
    let running: Promise<void> = Promise.resolve();
    const waiters = checkpointWaiters('subscription', () => checkpoint);
    const pump = async () => {
      for (;;) {
        if (stopped) return;
        const batch = await this.readAll({
          ...options,
          after: checkpoint,
          maxCount: options.batchSize,
        });
        for (const event of batch.events) {
          if (stopped) return;
          await handler(event);
        }
        if (batch.checkpoint === checkpoint) return;
        checkpoint = batch.checkpoint;
        waiters.advanced();
      }
    };
    const wake = () => {
      running = running.then(pump);
    };
    this.listeners.add(wake);
    wake();
    await running;
    return {
      get checkpoint() {
        return checkpoint;
      },
      stop: async () => {
        stopped = true;
        this.listeners.delete(wake);
        await running;
      },
      waitFor: (position, timeoutMs = 5_000) => waiters.waitFor(position, timeoutMs),
    };
  }
}
