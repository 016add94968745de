import {} from '@jest/globals';
import { messageBusContract } from '@simple-securities/event-sourcing/testing';
import {
  PostgresDeadLetterQueue,
  PostgresMessageBus,
  type SqlExecutor,
  idempotent,
  postgresOutbox,
} from '../../src/index.js';
import { describeOnEachEngine } from '../../src/testing/test-databases.js';
import { openPlatformDatabase, quietLogger } from './platform-database.js';

await describeOnEachEngine('Postgres message bus', (engine) => {
  messageBusContract<SqlExecutor>(`Postgres (${engine.name})`, async () => {
    const database = await openPlatformDatabase(engine);
    await database.executeScript(`
      CREATE TABLE contract_state (key text PRIMARY KEY);
      CREATE TABLE contract_effects (key text NOT NULL);`);
    return {
      bus: new PostgresMessageBus(database, { logger: quietLogger }),
      outbox: postgresOutbox,
      deadLetters: new PostgresDeadLetterQueue(database),
      transaction: (work) => database.transaction(work),
      writeState: async (tx, key) => {
        await tx.query('INSERT INTO contract_state (key) VALUES ($1)', [key]);
      },
      stateExists: async (key) =>
        (await database.query('SELECT 1 FROM contract_state WHERE key = $1', [key])).rows.length ===
        1,
      recordEffect: async (tx, key) => {
        await tx.query('INSERT INTO contract_effects (key) VALUES ($1)', [key]);
      },
      effectCount: async (key) =>
        (await database.query('SELECT 1 FROM contract_effects WHERE key = $1', [key])).rows.length,
      idempotent: (handler) => idempotent(handler),
      close: () => database.close(),
    };
  });
});
