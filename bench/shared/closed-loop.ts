import http from 'node:http';

/** One request the load generator makes: an HTTP POST with a JSON body. */
export interface Post {
  readonly url: URL;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * POSTs and reads the whole answer; resolves with the status and body. A pooled
 * keep-alive agent keeps one socket per concurrent caller, like a load tester's connections.
 */
export const post = (agent: http.Agent, { url, body, headers }: Post) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });

export interface LoadResult {
  readonly completed: number;
  readonly failures: number;
  readonly firstFailure: string | undefined;
  /** Milliseconds per completed request, in completion order. */
  readonly latencies: Float64Array;
  readonly seconds: number;
}

/**
 * A closed loop of `connections` callers, each starting its next request when
 * the last one answered, for `warmupMs` unmeasured and then `measureMs`.
 * `onMeasureStart`/`onMeasureEnd` bracket the measured window (to read CPU).
 * A request fails when `request` throws (HTTP error, error in the answer).
 */
export const runClosedLoop = async (options: {
  connections: number;
  warmupMs: number;
  measureMs: number;
  request: () => Promise<void>;
  onMeasureStart: () => Promise<void>;
  onMeasureEnd: () => Promise<void>;
}): Promise<LoadResult> => {
  let measuring = false;
  let stopped = false;
  let completed = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const latencies: number[] = [];
  const caller = async () => {
    while (!stopped) {
      const started = performance.now();
      try {
        await options.request();
        if (measuring) {
          completed += 1;
          latencies.push(performance.now() - started);
        }
      } catch (error) {
        if (measuring) failures += 1;
        firstFailure ??= (error as Error).message;
      }
    }
  };
  const callers = Array.from({ length: options.connections }, caller);
  await new Promise((resolve) => setTimeout(resolve, options.warmupMs));
  await options.onMeasureStart();
  measuring = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, options.measureMs));
  measuring = false;
  const seconds = (performance.now() - started) / 1000;
  await options.onMeasureEnd();
  stopped = true;
  await Promise.all(callers);
  return { completed, failures, firstFailure, latencies: Float64Array.from(latencies), seconds };
};
