import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { startPeriodicTask } from './periodic-task.js';

const logged: string[] = [];
const logger = pino(
  { level: 'error' },
  { write: (line: string) => void logged.push(JSON.parse(line).msg as string) },
);

describe('startPeriodicTask', () => {
  it('logs a failed run instead of throwing, and runs again', async () => {
    let runs = 0;
    const task = startPeriodicTask({
      name: 'candle pruning',
      intervalMs: 60_000,
      logger,
      run: async () => {
        runs++;
        throw new Error('database is gone');
      },
    });
    await task.runNow();
    await task.runNow();
    await task.stop();
    expect(runs).toBe(2);
    expect(logged).toEqual([
      'candle pruning failed; trying again in 60 s',
      'candle pruning failed; trying again in 60 s',
    ]);
  });

  it('aborts the current run on stop, waits for it, and starts no other', async () => {
    let runs = 0;
    let aborted = false;
    const task = startPeriodicTask({
      name: 'slow',
      intervalMs: 60_000,
      logger,
      run: (signal) => {
        runs++;
        return new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          }),
        );
      },
    });
    const running = task.runNow();
    expect(task.runNow()).toBe(running);
    await task.stop();
    expect(aborted).toBe(true);
    await task.runNow();
    expect(runs).toBe(1);
  });
});
