import { afterEach, beforeEach, expect, it } from '@jest/globals';
import type { WindowCounters } from '../window-counters/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What every `WindowCounters` adapter must do, run against each of them. `open`
 * gives counters whose keys no other suite shares.
 */
export const windowCountersContract = (open: () => Promise<WindowCounters>): void => {
  let counters: WindowCounters;
  beforeEach(async () => {
    counters = await open();
  });
  afterEach(async () => {
    await counters.close();
  });

  it('counts hits on a key within its window, and tells when the window ends', async () => {
    await counters.hit('alice', 60_000);
    await counters.hit('alice', 60_000);
    const third = await counters.hit('alice', 60_000);

    expect(third.count).toBe(3);
    expect(third.resetInMs).toBeGreaterThan(0);
    expect(third.resetInMs).toBeLessThanOrEqual(60_000);
  });

  it('keeps keys apart', async () => {
    await counters.hit('alice', 60_000);
    await counters.hit('alice', 60_000);

    expect((await counters.hit('bob', 60_000)).count).toBe(1);
  });

  it('peeks without counting, and knows nothing of a key never hit', async () => {
    await counters.hit('alice', 60_000);

    expect((await counters.peek('alice')).count).toBe(1);
    expect((await counters.peek('alice')).count).toBe(1);
    expect(await counters.peek('nobody')).toEqual({ count: 0, resetInMs: 0 });
  });

  it('keeps the window the first hit opened: later hits do not extend it', async () => {
    const first = await counters.hit('alice', 60_000);
    const later = await counters.hit('alice', 120_000);

    expect(later.resetInMs).toBeLessThanOrEqual(first.resetInMs);
  });

  it('starts again from zero once the window has ended', async () => {
    await counters.hit('alice', 50);
    await counters.hit('alice', 50);
    await sleep(120);

    expect((await counters.peek('alice')).count).toBe(0);
    expect((await counters.hit('alice', 60_000)).count).toBe(1);
  });

  it('forgets a key that is reset', async () => {
    await counters.hit('alice', 60_000);
    await counters.reset('alice');

    expect((await counters.peek('alice')).count).toBe(0);
    expect((await counters.hit('alice', 60_000)).count).toBe(1);
  });

  it('counts every one of many concurrent hits exactly once', async () => {
    const counts = await Promise.all(
      Array.from({ length: 50 }, () => counters.hit('busy', 60_000)),
    );

    expect(counts.map(({ count }) => count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, index) => index + 1),
    );
  });
};
