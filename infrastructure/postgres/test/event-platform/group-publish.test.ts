import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { integrationEvent } from '@simple-securities/event-sourcing';
import { PostgresMessageBus, type SqlDatabase } from '../../src/index.js';
import { describeOnEachEngine } from '../../src/testing/test-databases.js';
import { openPlatformDatabase, quietLogger } from './platform-database.js';

const event = (subject: string, data: unknown = {}) =>
  integrationEvent({ type: 'test.grouped.v1', source: '/test', subject, data });

await describeOnEachEngine('group publish on the bus', (engine) => {
  let database: SqlDatabase;
  let bus: PostgresMessageBus;

  beforeAll(async () => {
    database = await openPlatformDatabase(engine);
    bus = new PostgresMessageBus(database, { logger: quietLogger });
  });

  afterAll(async () => {
    await database?.close();
  });

  const stored = async () =>
    (
      await database.query<{ message_id: string; position: string | number }>(
        'SELECT message_id, position FROM bus_messages ORDER BY position',
      )
    ).rows.map((row) => ({ id: row.message_id, position: Number(row.position) }));

  it('writes concurrent publishes together, in call order, each told its own last position', async () => {
    const calls = Array.from({ length: 20 }, (_, n) => [event(`s-${n}`), event(`s-${n}`)]);
    const positions = await Promise.all(calls.map((events) => bus.publish(events)));
    const log = await stored();
    expect(log.map((row) => row.id)).toEqual(calls.flat().map((e) => e.id));
    // No holes: one transaction drew every position, in order.
    expect(log.map((row) => row.position)).toEqual(
      log.map((_, index) => (log[0]?.position ?? 0) + index),
    );
    const positionOf = new Map(log.map((row) => [row.id, row.position]));
    expect(positions).toEqual(calls.map((events) => positionOf.get(events[1]?.id ?? '')));
  });

  it('publishes an event once however often it is published, and says 0 once it was there before', async () => {
    const once = event('dup');
    const [first, second] = await Promise.all([bus.publish([once]), bus.publish([once])]);
    // Both calls of the group that wrote it are told where it is.
    expect(first).toBeGreaterThan(0);
    expect(second).toBe(first);
    expect(await bus.publish([once])).toBe(0);
    expect((await stored()).filter((row) => row.id === once.id)).toHaveLength(1);
  });

  it('fails only the publish the database refuses, and commits the rest of its group', async () => {
    const good = [event('good-1'), event('good-2')];
    // Postgres refuses \u0000 in jsonb text: an error for the whole statement.
    const refused = event('bad', { text: 'nul \u0000 here' });
    const results = await Promise.allSettled([
      bus.publish([good[0]!]),
      bus.publish([refused]),
      bus.publish([good[1]!]),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const ids = (await stored()).map((row) => row.id);
    expect(ids).toEqual(expect.arrayContaining(good.map((e) => e.id)));
    expect(ids).not.toContain(refused.id);
  });

  it('refuses a malformed envelope at the call, before it reaches a group', async () => {
    const malformed = { ...event('no-type'), type: '' };
    await expect(bus.publish([malformed])).rejects.toThrow(/missing "type"/);
  });
});
