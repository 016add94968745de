import { randomUUID } from 'node:crypto';
import { expect, it } from '@jest/globals';
import { integrationEvent } from '@simple-securities/event-sourcing';
import { PostgresDeadLetterQueue, PostgresMessageBus, type SqlDatabase } from '../../src/index.js';
import { describeOnEachEngine } from '../../src/testing/test-databases.js';
import { openPlatformDatabase, quietLogger } from './platform-database.js';

const event = (subject: string) =>
  integrationEvent({ type: 'test.happened.v1', source: '/replay-test', subject, data: {} });

const eventually = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

await describeOnEachEngine('dead-letter replay', (engine) => {
  it('reads dead_letters once at start and then only when a replay of this group is asked for', async () => {
    const database = await openPlatformDatabase(engine);
    const deadLetterReads: string[] = [];
    const counting: SqlDatabase = {
      ...database,
      query: (sql, params) => {
        if (/FROM dead_letters/.test(sql)) deadLetterReads.push(sql);
        return database.query(sql, params);
      },
    };
    const bus = new PostgresMessageBus(counting, { logger: quietLogger });
    const consumer = `replay-${randomUUID()}`;
    let poisoned = true;
    const handled: string[] = [];
    const subscription = await bus.consume(
      async (delivered) => {
        if (delivered.subject === 'poison' && poisoned) throw new Error('poison');
        handled.push(delivered.subject);
      },
      { consumer, retry: { maxAttempts: 1 } },
    );
    try {
      // Twenty separate publishes: twenty or so loop steps, none asking for a replay.
      for (let n = 0; n < 20; n++) await subscription.waitFor(await bus.publish([event(`e${n}`)]));
      expect(deadLetterReads).toHaveLength(1);

      await subscription.waitFor(await bus.publish([event('poison')]));
      const deadLetters = new PostgresDeadLetterQueue(database);
      const [parked] = await deadLetters.list({ consumer });
      expect(parked?.status).toBe('parked');
      expect(deadLetterReads).toHaveLength(1);

      poisoned = false;
      await deadLetters.requestReplay(parked!.id);
      await eventually(() => handled.includes('poison'), 'the replayed event');
      expect(deadLetterReads).toHaveLength(2);
      expect((await deadLetters.get(parked!.id))?.status).toBe('resolved');
    } finally {
      await subscription.stop();
      await database.close();
    }
  });
});
