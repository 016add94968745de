import type { StreamVersion } from './event-store.js';

/**
 * Snapshots shorten the replay of long streams. They are a cache: deleting every
 * snapshot changes nothing but speed, so a snapshot whose `schemaVersion` differs
 * from the reader's is ignored rather than migrated.
 */
export interface Snapshot<State = unknown> {
  streamId: string;
  /** The stream version the state was folded up to (inclusive). */
  version: StreamVersion;
  /** Shape of `state`; bump it when the state type changes. */
  schemaVersion: number;
  state: State;
}

export interface SnapshotStore {
  load<State>(streamId: string): Promise<Snapshot<State> | undefined>;
  /** Keeps only the newest snapshot per stream. */
  save<State>(snapshot: Snapshot<State>): Promise<void>;
}
