import {} from '@jest/globals';
import { readModelContract } from '@simple-securities/event-sourcing/testing';
import { PostgresDocumentStore, PostgresSearchIndex, type SqlExecutor } from '../../src/index.js';
import { describeOnEachEngine } from '../../src/testing/test-databases.js';
import { openPlatformDatabase } from './platform-database.js';

await describeOnEachEngine('Postgres read models', (engine) => {
  readModelContract<SqlExecutor>(`Postgres (${engine.name})`, async () => {
    const database = await openPlatformDatabase(engine);
    return {
      documents: new PostgresDocumentStore(database),
      searchIndex: (name) => new PostgresSearchIndex(name, database),
      transaction: (work) => database.transaction(work),
      close: () => database.close(),
    };
  });
});
