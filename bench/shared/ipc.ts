import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/** What a benchmark child process reports to the runner over IPC. */
export type ChildMessage =
  | { type: 'ready'; url?: string; supergraphSdl?: string; urls?: Record<string, string> }
  | { type: 'usage'; rssBytes: number; cpuMicros: number; atMs: number };

const send = (message: ChildMessage) => process.send?.(message);

/**
 * With BENCH_CPU_PROFILE set, profiles each measured window only (between the runner's
 * two `usage` requests) and writes it for Chrome DevTools: the first window to that
 * file, the n-th (a runner that measures several rows against one child) beside it,
 * `name-n.cpuprofile`.
 */
const profilerOfMeasuredWindow = () => {
  const file = process.env.BENCH_CPU_PROFILE;
  if (!file) return () => Promise.resolve();
  let session: Session | undefined;
  let windows = 0;
  return async () => {
    if (!session) {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      return;
    }
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    session = undefined;
    windows += 1;
    await writeFile(
      windows === 1 ? file : file.replace(/(\.cpuprofile)?$/, `-${windows}$1`),
      JSON.stringify(profile),
    );
  };
};

/** Announces readiness, then answers every `usage` request with RSS and CPU time. */
export const serveChild = (ready: Extract<ChildMessage, { type: 'ready' }>): void => {
  const toggleProfiler = profilerOfMeasuredWindow();
  process.on('message', async (message: { type?: string }) => {
    if (message.type !== 'usage') return;
    const cpu = process.cpuUsage();
    const usage: ChildMessage = {
      type: 'usage',
      rssBytes: process.memoryUsage().rss,
      cpuMicros: cpu.user + cpu.system,
      atMs: performance.now(),
    };
    // The reply waits for the profile so the runner cannot stop this process before it is written.
    await toggleProfiler();
    send(usage);
  });
  process.on('disconnect', () => process.exit(0));
  send(ready);
};
