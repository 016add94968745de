import { describe, it } from '@jest/globals';

/** CI must prove everything: there a missing component fails its suite instead of skipping it. */
const missingComponentsFail = () => /^(true|1)$/i.test(process.env.CI ?? '');

/**
 * Registers a suite that needs something outside Node (a Postgres server, Redis, a
 * broker). `unavailable` is undefined when that thing answers, otherwise why not:
 *
 * - available: an ordinary `describe`;
 * - unavailable: `describe.skip`, titled "<title> (skipped: <why>)". Every test in it
 *   counts as skipped, and the summary reporter (`tools/jest/summary-reporter.cjs`)
 *   names the suite and the reason once;
 * - unavailable under `CI=true`: one failing test that says what is missing.
 *
 * Never return early from a test, or leave tests unregistered, when something is missing:
 * either one counts as passed or disappears without a word.
 */
export const describeIfAvailable = (
  unavailable: string | undefined,
  title: string,
  body: () => void,
): void => {
  if (unavailable === undefined) describe(title, body);
  else if (missingComponentsFail())
    describe(title, () => {
      it('has what it needs to run (CI=true fails instead of skipping)', () => {
        throw new Error(`Cannot run "${title}": ${unavailable}`);
      });
    });
  else describe.skip(`${title} (skipped: ${unavailable})`, body);
};
