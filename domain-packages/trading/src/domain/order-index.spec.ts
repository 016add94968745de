import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { OrderIndex } from './order-index.js';

describe('live orders by id', () => {
  it('finds what was set, forgets what was deleted, and keeps the rest of a probe run', () => {
    // Given a small table that has to grow and whose runs of entries collide
    const index = new OrderIndex<number>(4);
    for (let n = 0; n < 100; n += 1) index.set(`o${n}`, n);
    // When every third id is deleted
    for (let n = 0; n < 100; n += 3) expect(index.delete(`o${n}`)).toBe(true);
    // Then the others are still found, the deleted ones are not, and the size agrees
    for (let n = 0; n < 100; n += 1) expect(index.get(`o${n}`)).toBe(n % 3 === 0 ? undefined : n);
    expect(index.size).toBe(66);
    expect([...index.values()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, n) => n).filter((n) => n % 3 !== 0),
    );
  });

  it('compares ids by their characters, not by which string object holds them', () => {
    const index = new OrderIndex<string>();
    index.set(['order', '7'].join('-'), 'resting');
    expect(index.get(`order-${7}`)).toBe('resting');
    expect(index.has('order-8')).toBe(false);
    expect(index.delete('order-8')).toBe(false);
  });

  it('answers like a Map under any sequence of sets and deletes', () => {
    const id = fc.integer({ min: 0, max: 40 }).map((n) => `id-${n}`);
    const step = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), id, value: fc.nat() }),
      fc.record({ kind: fc.constant('delete' as const), id }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const index = new OrderIndex<number>(2);
        const reference = new Map<string, number>();
        for (const s of steps) {
          if (s.kind === 'set') {
            index.set(s.id, s.value);
            reference.set(s.id, s.value);
          } else expect(index.delete(s.id)).toBe(reference.delete(s.id));
          expect(index.size).toBe(reference.size);
        }
        for (let n = 0; n <= 40; n += 1)
          expect(index.get(`id-${n}`)).toBe(reference.get(`id-${n}`));
      }),
      { numRuns: 300 },
    );
  });
});
