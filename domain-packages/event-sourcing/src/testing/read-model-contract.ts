import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DocumentStore } from '../document-store.js';
import type { SearchIndex } from '../search-index.js';

export interface ReadModelHarness<Tx> {
  documents: DocumentStore<Tx>;
  searchIndex(name: string): SearchIndex<Tx>;
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

interface Order {
  id: string;
  owner: { id: string };
  symbol: string;
  status: 'open' | 'filled';
  placedAt: number;
}

const unique = (name: string) => `${name}_${crypto.randomUUID().slice(0, 8)}`;

/** The behaviour every DocumentStore and SearchIndex adapter must show (Postgres now, MongoDB/Elasticsearch later). */
export const readModelContract = <Tx>(
  adapter: string,
  open: () => Promise<ReadModelHarness<Tx>>,
): void => {
  describe(`DocumentStore and SearchIndex contract — ${adapter}`, () => {
    let h: ReadModelHarness<Tx>;
    beforeAll(async () => {
      h = await open();
    });
    afterAll(() => h.close());

    it('upserts, gets, queries by fields, sorts by an indexed field, counts and deletes', async () => {
      const orders = await h.documents.collection<Order>(unique('orders'), {
        indexes: ['placedAt'],
      });
      const order = (
        id: string,
        owner: string,
        status: Order['status'],
        placedAt: number,
      ): Order => ({
        id,
        owner: { id: owner },
        symbol: 'BTC-USDT',
        status,
        placedAt,
      });
      await orders.upsert('o1', order('o1', 'ada', 'open', 30));
      await orders.upsert('o2', order('o2', 'ada', 'open', 10));
      await orders.upsert('o3', order('o3', 'bob', 'open', 20));
      await orders.upsert('o3', order('o3', 'bob', 'filled', 20));
      expect(await orders.get('o3')).toMatchObject({ status: 'filled' });
      expect(await orders.get('missing')).toBeUndefined();

      const adas = await orders.find({
        where: { 'owner.id': 'ada' },
        orderBy: { field: 'placedAt' },
      });
      expect(adas.map((o) => o.id)).toEqual(['o2', 'o1']);
      const newest = await orders.find({
        orderBy: { field: 'placedAt', direction: 'desc' },
        limit: 2,
      });
      expect(newest.map((o) => o.id)).toEqual(['o1', 'o3']);
      expect(
        (await orders.find({ orderBy: { field: 'placedAt' }, offset: 2 })).map((o) => o.id),
      ).toEqual(['o1']);
      expect(await orders.count({ status: 'open' })).toBe(2);

      await orders.delete('o1');
      expect(await orders.count()).toBe(2);
      await orders.clear();
      expect(await orders.count()).toBe(0);
    });

    it('keeps collections apart and writes inside a transaction', async () => {
      const a = await h.documents.collection<{ n: number }>(unique('a'));
      const b = await h.documents.collection<{ n: number }>(unique('b'));
      await a.upsert('x', { n: 1 });
      expect(await b.get('x')).toBeUndefined();
      await expect(
        h.transaction(async (tx) => {
          await b.in(tx).upsert('x', { n: 2 });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await b.get('x')).toBeUndefined();
      await h.transaction((tx) => b.in(tx).upsert('x', { n: 3 }));
      expect(await b.get('x')).toEqual({ n: 3 });
    });

    it('finds documents by words, stems, phrases and exclusions, ranks title matches first, filters by attribute', async () => {
      const index = h.searchIndex(unique('notifications'));
      await index.index({
        id: 'n1',
        title: 'Order filled',
        body: 'Your BTC order was filled at 42,000',
        attributes: { userId: 'ada' },
      });
      await index.index({
        id: 'n2',
        title: 'Deposit received',
        body: 'We credited your wallet; no orders were filled',
        attributes: { userId: 'ada' },
      });
      await index.index({
        id: 'n3',
        title: 'Order cancelled',
        body: 'Your ETH order was cancelled',
        attributes: { userId: 'bob' },
      });

      expect((await index.search('filled')).map((hit) => hit.id)).toEqual(['n1', 'n2']);
      expect((await index.search('cancelling orders')).map((hit) => hit.id)).toEqual(['n3']);
      expect((await index.search('"btc order"')).map((hit) => hit.id)).toEqual(['n1']);
      expect((await index.search('order -cancelled')).map((hit) => hit.id).sort()).toEqual([
        'n1',
        'n2',
      ]);
      expect(
        (await index.search('order', { filter: { userId: 'bob' } })).map((hit) => hit.id),
      ).toEqual(['n3']);
      expect(await index.search('nothing matches this')).toEqual([]);

      await index.index({
        id: 'n3',
        title: 'Order expired',
        body: 'Your ETH order expired',
        attributes: { userId: 'bob' },
      });
      expect(await index.search('cancelled')).toEqual([]);
      await index.remove('n1');
      expect((await index.search('filled')).map((hit) => hit.id)).toEqual(['n2']);
      await index.clear();
      expect(await index.search('order')).toEqual([]);
    });
  });
};
