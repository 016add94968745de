import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Projection } from '@simple-securities/event-sourcing';
import {
  PostgresDocumentStore,
  PostgresEventStore,
  PostgresSearchIndex,
  type SqlDatabase,
  type SqlExecutor,
  resetProjection,
  startProjection,
} from '../../src/index.js';
import { describeOnEachEngine } from '../../src/testing/test-databases.js';
import { openPlatformDatabase, quietLogger } from './platform-database.js';

interface Account {
  id: string;
  owner: string;
  balanceMinor: number;
  deposits: number;
}

await describeOnEachEngine('projection rebuild', (engine) => {
  let database: SqlDatabase;
  beforeAll(async () => {
    database = await openPlatformDatabase(engine);
  });
  afterAll(() => database.close());

  it('drops the read model and replays the log to the same documents and search results', async () => {
    const store = new PostgresEventStore(database, { logger: quietLogger });
    const accounts = await new PostgresDocumentStore(database).collection<Account>('accounts', {
      indexes: ['balanceMinor'],
    });
    const search = new PostgresSearchIndex('accounts', database);
    const projection: Projection<SqlExecutor> = {
      name: 'accounts',
      types: ['Opened', 'Deposited'],
      async apply(event, tx) {
        const data = event.data as { owner?: string; amountMinor?: number };
        const current = await accounts.in(tx).get(event.streamId);
        const next: Account =
          event.type === 'Opened'
            ? { id: event.streamId, owner: data.owner ?? '', balanceMinor: 0, deposits: 0 }
            : {
                ...(current as Account),
                balanceMinor: (current?.balanceMinor ?? 0) + (data.amountMinor ?? 0),
                deposits: (current?.deposits ?? 0) + 1,
              };
        await accounts.in(tx).upsert(event.streamId, next);
        await search
          .in(tx)
          .index({ id: event.streamId, title: next.owner, body: `account of ${next.owner}` });
      },
      async reset(tx) {
        await accounts.in(tx).clear();
        await search.in(tx).clear();
      },
    };

    const owners = ['ada lovelace', 'grace hopper', 'edsger dijkstra', 'barbara liskov'];
    let last = 0;
    for (const [n, owner] of owners.entries()) {
      const streamId = `account-${n}`;
      await store.appendToStream(streamId, [{ type: 'Opened', data: { owner } }], {
        expectedVersion: 'no_stream',
      });
      for (let deposit = 1; deposit <= 5; deposit++) {
        const result = await store.appendToStream(
          streamId,
          [
            { type: 'Deposited', data: { amountMinor: deposit * 100 + n } },
            { type: 'Noted', data: {} },
          ],
          { expectedVersion: 'any' },
        );
        last = result.lastPosition;
      }
    }

    const firstRun = await startProjection(database, projection, { logger: quietLogger });
    await firstRun.waitFor(last);
    await firstRun.stop();
    const before = await accounts.find({ orderBy: { field: 'balanceMinor', direction: 'desc' } });
    const searchedBefore = await search.search('grace');
    expect(before).toHaveLength(4);
    expect(before[0]).toMatchObject({ id: 'account-3', balanceMinor: 1515, deposits: 5 });
    expect(searchedBefore.map((hit) => hit.id)).toEqual(['account-1']);

    await resetProjection(database, projection);
    expect(await accounts.count()).toBe(0);
    expect(await search.search('grace')).toEqual([]);

    const rebuild = await startProjection(database, projection, { logger: quietLogger });
    await rebuild.waitFor(last);
    await rebuild.stop();
    expect(await accounts.find({ orderBy: { field: 'balanceMinor', direction: 'desc' } })).toEqual(
      before,
    );
    expect(await search.search('grace')).toEqual(searchedBefore);
  });
});
