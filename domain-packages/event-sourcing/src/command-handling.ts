import { type Decider, rehydrate } from '@simple-securities/shared-kernel';
import {
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type StreamVersion,
  isConcurrencyError,
} from './event-store.js';
import type { SnapshotStore } from './snapshot-store.js';

export interface SnapshotPolicy<State> {
  store: SnapshotStore;
  /** Write a snapshot when at least this many events were folded since the last one. */
  every: number;
  schemaVersion: number;
  /** State must survive JSON; convert bigint or Decimal fields here. */
  serialize?(state: State): unknown;
  deserialize?(stored: unknown): State;
}

export interface HandleCommandOptions<State> {
  /** Fresh decisions to try after a concurrency conflict before giving up; default 3. */
  retries?: number;
  metadata?: EventMetadata;
  snapshots?: SnapshotPolicy<State>;
  /** Domain event → stored type and data; defaults to `{ type: event.type, data: event }`. */
  toStored?(event: Event): { type: string; data: unknown };
  fromStored?(type: string, data: unknown): Event;
}

type Event = { type: string };

export interface HandleCommandResult<State, E> {
  state: State;
  events: readonly E[];
  version: StreamVersion;
  append?: AppendResult;
}

/**
 * Load → decide → append with optimistic concurrency. On a ConcurrencyError the stream
 * is read again and the command decided afresh, so a decision is never based on stale state.
 */
export const handleCommand = async <C, S, E extends Event>(
  store: EventStore,
  decider: Decider<C, S, E>,
  streamId: string,
  command: C,
  options: HandleCommandOptions<S> = {},
): Promise<HandleCommandResult<S, E>> => {
  const fromStored = options.fromStored ?? ((_type: string, data: unknown) => data as E);
  const toStored = options.toStored ?? ((event: E) => ({ type: event.type, data: event }));
  const attempts = (options.retries ?? 3) + 1;
  for (let attempt = 1; ; attempt++) {
    const { state, version, sinceSnapshot } = await load(
      store,
      decider,
      streamId,
      fromStored,
      options.snapshots,
    );
    const events = decider.decide(command, state);
    if (events.length === 0) return { state, events, version };
    try {
      const append = await store.appendToStream(
        streamId,
        events.map((event) => ({ ...toStored(event as never), metadata: options.metadata })),
        { expectedVersion: version },
      );
      const next = events.reduce(decider.evolve, state);
      const policy = options.snapshots;
      if (policy && sinceSnapshot + events.length >= policy.every) {
        await policy.store.save({
          streamId,
          version: append.nextExpectedVersion,
          schemaVersion: policy.schemaVersion,
          state: policy.serialize ? policy.serialize(next) : next,
        });
      }
      return { state: next, events, version: append.nextExpectedVersion, append };
    } catch (error) {
      if (!isConcurrencyError(error) || attempt >= attempts) throw error;
    }
  }
};

const load = async <C, S, E>(
  store: EventStore,
  decider: Decider<C, S, E>,
  streamId: string,
  fromStored: (type: string, data: unknown) => E,
  snapshots: SnapshotPolicy<S> | undefined,
): Promise<{ state: S; version: StreamVersion; sinceSnapshot: number }> => {
  const snapshot = snapshots ? await snapshots.store.load(streamId) : undefined;
  const usable =
    snapshot && snapshot.schemaVersion === snapshots?.schemaVersion ? snapshot : undefined;
  const base = usable
    ? snapshots?.deserialize
      ? snapshots.deserialize(usable.state)
      : (usable.state as S)
    : decider.initialState;
  const fromVersion = usable ? usable.version + 1 : 1;
  const recorded = await store.readStream(streamId, { fromVersion });
  const state = rehydrate(
    { ...decider, initialState: base },
    recorded.map((event) => fromStored(event.type, event.data)),
  );
  const last = recorded.at(-1);
  return {
    state,
    version: last ? last.streamVersion : (usable?.version ?? 0),
    sinceSnapshot: recorded.length,
  };
};
