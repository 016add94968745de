import type { ScheduleAt } from '@simple-securities/trading';

/** The longest wait `setTimeout` takes (about 24.8 days); a later instant is reached in steps. */
const LONGEST_TIMEOUT_MS = 2 ** 31 - 1;

/** Runs work at an instant of the wall clock; the timer does not keep the process alive. */
export const timerScheduleAt: ScheduleAt = (at, work) => {
  let timer: NodeJS.Timeout;
  const wait = () => {
    const left = at.getTime() - Date.now();
    timer =
      left > LONGEST_TIMEOUT_MS
        ? setTimeout(wait, LONGEST_TIMEOUT_MS)
        : // The work logs its own failures.
          setTimeout(() => void work(), left);
    timer.unref();
  };
  wait();
  return () => clearTimeout(timer);
};
