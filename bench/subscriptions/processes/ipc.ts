/** What a benchmark child process reports to the runner over IPC. */
export type ChildMessage =
  | { type: 'ready'; url?: string; supergraphSdl?: string }
  | { type: 'usage'; rssBytes: number; cpuMicros: number; atMs: number };

const send = (message: ChildMessage) => process.send?.(message);

/** Announces readiness, then answers every `usage` request with RSS and CPU time. */
export const serveChild = (ready: Extract<ChildMessage, { type: 'ready' }>): void => {
  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'usage') return;
    const cpu = process.cpuUsage();
    send({
      type: 'usage',
      rssBytes: process.memoryUsage().rss,
      cpuMicros: cpu.user + cpu.system,
      atMs: performance.now(),
    });
  });
  process.on('disconnect', () => process.exit(0));
  send(ready);
};
