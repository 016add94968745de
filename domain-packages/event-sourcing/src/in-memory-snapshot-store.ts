import type { Snapshot, SnapshotStore } from './snapshot-store.js';

/**
 * Snapshots in a Map, the companion of `InMemoryEventStore` for unit tests; never
 * wire it into a running service.
 */
export class InMemorySnapshotStore implements SnapshotStore {
  private readonly newest = new Map<string, Snapshot>();

  async load<State>(streamId: string): Promise<Snapshot<State> | undefined> {
    const snapshot = this.newest.get(streamId);
    // A copy, as a stored snapshot would be: the caller's folds never reach the stored state.
    return snapshot && (structuredClone(snapshot) as Snapshot<State>);
  }

  /** A slower writer never replaces a newer snapshot. */
  async save<State>(snapshot: Snapshot<State>): Promise<void> {
    const current = this.newest.get(snapshot.streamId);
    if (current && current.version > snapshot.version) return;
    this.newest.set(snapshot.streamId, structuredClone(snapshot));
  }
}
