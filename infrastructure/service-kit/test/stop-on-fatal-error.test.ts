import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const fixture = fileURLToPath(new URL('./fixtures/crash-after-start.ts', import.meta.url));

const run = (crashWith: 'exception' | 'rejection') => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, CRASH_WITH: crashWith },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const lines = result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message: string } });
  return { code: result.status, lines };
};

const FATAL = 60;

describe('an error nothing caught', () => {
  it.each(['exception', 'rejection'] as const)(
    'from an uncaught %s is logged at fatal with its cause, stops the services, and exits with 1',
    (crashWith) => {
      const { code, lines } = run(crashWith);
      expect(code).toBe(1);
      const fatal = lines.find((line) => line.level === FATAL);
      expect(fatal?.err?.message).toMatch(/a listener threw|a rejected promise nobody awaited/);
      expect(lines.map((line) => line.msg)).toEqual(
        expect.arrayContaining(['fixture services stopped', 'shut down cleanly']),
      );
    },
  );
});
