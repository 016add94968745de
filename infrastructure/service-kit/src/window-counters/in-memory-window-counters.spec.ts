import { describe, expect, it } from '@jest/globals';
import { InMemoryWindowCounters } from './in-memory-window-counters.js';

describe('window counters in memory, bounded', () => {
  it('never holds more keys than its bound: the windows opened first are dropped', async () => {
    const counters = new InMemoryWindowCounters(2);

    await counters.hit('first', 60_000);
    await counters.hit('second', 60_000);
    await counters.hit('third', 60_000);

    expect((await counters.peek('first')).count).toBe(0);
    expect((await counters.peek('second')).count).toBe(1);
    expect((await counters.peek('third')).count).toBe(1);
  });

  it('sweeps ended windows before dropping open ones', async () => {
    let now = 0;
    const counters = new InMemoryWindowCounters(2, () => now);
    await counters.hit('open', 60_000);
    await counters.hit('ended', 10);
    now = 20;

    await counters.hit('new', 60_000);

    expect((await counters.peek('open')).count).toBe(1);
    expect((await counters.peek('new')).count).toBe(1);
  });
});
