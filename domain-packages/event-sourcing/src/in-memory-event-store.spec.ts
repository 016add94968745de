import { InMemoryEventStore } from './in-memory-event-store.js';
import { InMemorySnapshotStore } from './in-memory-snapshot-store.js';
import { eventStoreContract } from './testing/event-store-contract.js';

// The in-memory store passes the same contract, which keeps the suite honest about being adapter-neutral.
eventStoreContract('in-memory', async ({ upcasters }) => ({
  store: new InMemoryEventStore({ upcasters }),
  snapshots: new InMemorySnapshotStore(),
  close: async () => undefined,
}));
