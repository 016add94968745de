import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { PendingMoneyMovements } from './pending-money-movements.js';

/** Core as a counter: it refuses the first `refusals` calls, then accepts. */
const coreRefusing = (refusals: number) => {
  let calls = 0;
  return {
    move: async () => {
      calls += 1;
      if (calls <= refusals) throw new Error('core is unavailable');
    },
    calls: () => calls,
  };
};

const movementsWith = (random = () => 0) => {
  const backlog: (number | undefined)[] = [];
  const movements = new PendingMoneyMovements({
    backoff: { firstDelayMs: 100, maxDelayMs: 400 },
    random,
    logger: { error: () => undefined },
    recordBacklog: async (unsettledFrom) => void backlog.push(unsettledFrom),
  });
  return { movements, backlog };
};

describe('pending money movements', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('given core accepts, when a movement is made, then nothing stays owed and nothing is recorded', async () => {
    const { movements, backlog } = movementsWith();
    const core = coreRefusing(0);

    expect(await movements.make({ id: 'BTC-USDT:5', since: 4, move: core.move })).toBe(true);
    await movements.recordBacklog();

    expect(movements.size).toBe(0);
    expect(backlog).toEqual([]);
  });

  it('given core refuses twice, when a movement is made, then it is owed from its command until a retry succeeds', async () => {
    const { movements, backlog } = movementsWith();
    const core = coreRefusing(2);

    expect(await movements.make({ id: 'BTC-USDT:5', since: 4, move: core.move })).toBe(false);
    await movements.recordBacklog();
    expect(movements.unsettledFrom).toBe(4);
    expect(backlog).toEqual([4]);

    await jest.advanceTimersByTimeAsync(1_000);

    expect(core.calls()).toBe(3);
    expect(movements.size).toBe(0);
    expect(backlog).toEqual([4, undefined]);
  });

  it('waits twice as long after each failure, up to the ceiling, jitter adding up to as much again as half of it', async () => {
    const { movements } = movementsWith(() => 0);
    const core = coreRefusing(10);
    await movements.make({ id: 'BTC-USDT:5', since: 4, move: core.move });

    // Without jitter: half of 100, 200, 400, then 400 again (the ceiling).
    for (const [delay, calls] of [
      [49, 1],
      [1, 2],
      [100, 3],
      [200, 4],
      [200, 5],
    ] as const) {
      await jest.advanceTimersByTimeAsync(delay);
      expect(core.calls()).toBe(calls);
    }
    await movements.close();
  });

  it('spreads retries over the upper half of the delay with jitter', async () => {
    const { movements } = movementsWith(() => 0.5);
    const core = coreRefusing(1);
    await movements.make({ id: 'BTC-USDT:5', since: 4, move: core.move });

    await jest.advanceTimersByTimeAsync(74);
    expect(core.calls()).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(core.calls()).toBe(2);
  });

  it('is owed from the earliest command still owing; a give-back no command recorded holds nothing', async () => {
    const { movements } = movementsWith();
    await movements.make({ id: 'sell-1:end', move: coreRefusing(1).move });
    expect(movements.unsettledFrom).toBeUndefined();

    await movements.make({ id: 'BTC-USDT:9', since: 8, move: coreRefusing(1).move });
    await movements.make({ id: 'BTC-USDT:5', since: 4, move: coreRefusing(5).move });
    expect(movements.unsettledFrom).toBe(4);

    await jest.advanceTimersByTimeAsync(50);
    expect(movements.size).toBe(1);
    expect(movements.unsettledFrom).toBe(4);
    await movements.close();
  });

  it('given a movement already owed, when it is made again, then it is tried once more and owed once', async () => {
    const { movements } = movementsWith();
    const core = coreRefusing(1);
    await movements.make({ id: 'BTC-USDT:5', since: 4, move: core.move });

    expect(await movements.make({ id: 'BTC-USDT:5', since: 4, move: core.move })).toBe(true);
    await jest.advanceTimersByTimeAsync(1_000);

    expect(core.calls()).toBe(2);
    expect(movements.size).toBe(0);
  });

  it('stops retrying once closed, leaving the movement owed', async () => {
    const { movements } = movementsWith();
    const core = coreRefusing(1);
    await movements.make({ id: 'BTC-USDT:5', since: 4, move: core.move });

    await movements.close();
    await jest.advanceTimersByTimeAsync(1_000);

    expect(core.calls()).toBe(1);
    expect(movements.unsettledFrom).toBe(4);
  });

  it('given recording the backlog failed, when it is recorded next, then it is written then', async () => {
    const recorded: (number | undefined)[] = [];
    let failNext = true;
    const movements = new PendingMoneyMovements({
      backoff: { firstDelayMs: 100, maxDelayMs: 400 },
      random: () => 0,
      logger: { error: () => undefined },
      recordBacklog: async (unsettledFrom) => {
        if (failNext) {
          failNext = false;
          throw new Error('the database is unavailable');
        }
        recorded.push(unsettledFrom);
      },
    });
    await movements.make({ id: 'BTC-USDT:5', since: 4, move: coreRefusing(1).move });
    await movements.recordBacklog();
    expect(recorded).toEqual([]);

    await movements.recordBacklog();
    expect(recorded).toEqual([4]);
  });
});
