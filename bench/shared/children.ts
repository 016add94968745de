import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage } from './ipc.js';

const READY_TIMEOUT_MS = 120_000;

export type ReadyMessage = Extract<ChildMessage, { type: 'ready' }>;
export type UsageMessage = Extract<ChildMessage, { type: 'usage' }>;

/** Forks a benchmark process (TypeScript through tsx) and resolves once it says it is ready. */
export const startChild = (file: URL, env: Record<string, string> = {}) =>
  new Promise<{ child: ChildProcess; ready: ReadyMessage }>((resolve, reject) => {
    const child = fork(fileURLToPath(file), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('exit', (code) =>
      reject(new Error(`${fileURLToPath(file)} exited with ${code} before it was ready`)),
    );
    // A process that never gets ready would hang the whole run.
    const timeout = setTimeout(() => {
      child.kill();
      reject(new Error(`${fileURLToPath(file)} was not ready within ${READY_TIMEOUT_MS} ms`));
    }, READY_TIMEOUT_MS);
    child.on('message', (message: ChildMessage) => {
      if (message.type !== 'ready') return;
      clearTimeout(timeout);
      resolve({ child, ready: message });
    });
  });

/** A child still running this long after SIGTERM (a gateway closing thousands of sockets) gets SIGKILL. */
const STOP_GRACE_MS = 5_000;

/**
 * Stops a child without its exit being reported as a failure to start. One that
 * outlives the grace period is killed, so it cannot take CPU from the next row.
 */
export const stopChild = (child: ChildProcess) => {
  child.removeAllListeners('exit');
  child.kill();
  setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, STOP_GRACE_MS).unref();
};

/** The child's RSS and CPU time so far, read inside the child (see `serveChild`). */
export const usageOf = (child: ChildProcess) =>
  new Promise<UsageMessage>((resolve) => {
    const onMessage = (message: ChildMessage) => {
      if (message.type !== 'usage') return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.send({ type: 'usage' });
  });

export const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0
    ? NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number);

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '—';
