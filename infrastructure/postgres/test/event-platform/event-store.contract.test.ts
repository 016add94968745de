import {} from '@jest/globals';
import { eventStoreContract } from '@simple-securities/event-sourcing/testing';
import { PostgresEventStore, PostgresSnapshotStore } from '../../src/index.js';
import { describeOnEachEngine } from '../../src/testing/test-databases.js';
import { openPlatformDatabase, quietLogger } from './platform-database.js';

await describeOnEachEngine('Postgres event store', (engine) => {
  eventStoreContract(`Postgres (${engine.name})`, async ({ upcasters }) => {
    const database = await openPlatformDatabase(engine);
    return {
      store: new PostgresEventStore(database, { upcasters, logger: quietLogger }),
      snapshots: new PostgresSnapshotStore(database),
      close: () => database.close(),
    };
  });
});
