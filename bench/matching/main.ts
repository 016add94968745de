/**
 * `npm run bench:matching`: one order book, one thread, a resting book of 10k and of 1M
 * orders over hundreds of price levels, then a stream of moves, cancels and GTC and IOC
 * placements (workload.ts). Reports throughput and p50/p99/p99.9 per operation for ours
 * and for the peer, `nodejs-order-book`, replaying the same stream in the same run; ours
 * also replays it once more on a fresh book without timing each operation.
 *
 * BENCH_BOOK_SIZES (default 10000,1000000) and BENCH_OPERATIONS (default 1000000) set the
 * shapes; BENCH_PEER_SECONDS (default 60) caps the peer's timed run on a large book,
 * whose figures then cover the operations it reached.
 */
import { cpus } from 'node:os';
import { type Contender, ours, peer } from './contenders.js';
import { generateWorkload, OPERATION_KINDS, type Operation, PRICE_LEVELS } from './workload.js';

const collectGarbage = () => {
  if (typeof globalThis.gc === 'function') globalThis.gc();
  else say('  (run with node --expose-gc to collect garbage before each timed run)');
};

const sizes = (process.env.BENCH_BOOK_SIZES ?? '10000,1000000').split(',').map(Number);
const operationCount = Number(process.env.BENCH_OPERATIONS ?? 1_000_000);
const peerSeconds = Number(process.env.BENCH_PEER_SECONDS ?? 60);

const say = (line: string) => process.stderr.write(`${line}\n`);
const count = (n: number) => n.toLocaleString('en-US');
const micros = (ms: number) => (ms * 1000).toFixed(2);

interface Measured {
  readonly name: string;
  readonly done: number;
  readonly perSecond: number;
  /** Operations per second of this process's CPU time: less sensitive to a busy machine. */
  readonly perCpuSecond: number;
  /** Milliseconds per operation, in stream order. */
  readonly latencies: Float64Array;
  readonly restingAfter: number;
}

/** Fills a fresh book, then prepares the timed stream and collects the garbage filling left. */
const prepared = (
  contender: Contender,
  fill: readonly Operation[],
  operations: readonly Operation[],
) => {
  const filling = contender.prepare(fill);
  for (let index = 0; index < filling.length; index += 1) {
    filling[index]!();
    if ((index + 1) % 250_000 === 0)
      say(`  ${contender.name}: resting ${count(index + 1)} of ${count(fill.length)}`);
  }
  const calls = contender.prepare(operations);
  // Start from a collected heap: the stream's generation leaves a whole book of garbage.
  collectGarbage();
  return calls;
};

const cpuSecondsSince = (before: NodeJS.CpuUsage) => {
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / 1e6;
};

const run = (
  contender: Contender,
  fill: readonly Operation[],
  operations: readonly Operation[],
  budgetSeconds: number,
): Measured => {
  const calls = prepared(contender, fill, operations);
  const latencies = new Float64Array(calls.length);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + budgetSeconds * 1000;
  let done = 0;
  for (; done < calls.length; done += 1) {
    const before = performance.now();
    calls[done]!();
    const after = performance.now();
    latencies[done] = after - before;
    if ((done + 1) % 250_000 === 0)
      say(`  ${contender.name}: ${count(done + 1)} of ${count(calls.length)} operations`);
    if ((done + 1) % 1_000 === 0 && after > deadline) {
      say(`  ${contender.name}: stopped after ${count(done + 1)} operations (BENCH_PEER_SECONDS)`);
      done += 1;
      break;
    }
  }
  const elapsed = (performance.now() - started) / 1000;
  return {
    name: contender.name,
    done,
    perSecond: done / elapsed,
    perCpuSecond: done / cpuSecondsSince(cpuBefore),
    latencies: latencies.subarray(0, done),
    restingAfter: contender.restingOrders(),
  };
};

/**
 * The same stream on a fresh book with no clock read between operations: throughput
 * without the two `performance.now()` calls that the timed run spends per operation.
 */
const runUntimed = (
  contender: Contender,
  fill: readonly Operation[],
  operations: readonly Operation[],
) => {
  const calls = prepared(contender, fill, operations);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let done = 0; done < calls.length; done += 1) calls[done]!();
  const elapsed = (performance.now() - started) / 1000;
  return {
    perSecond: calls.length / elapsed,
    perCpuSecond: calls.length / cpuSecondsSince(cpuBefore),
  };
};

const percentile = (sorted: Float64Array, p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;

const summary = (latencies: Float64Array) => {
  const sorted = Float64Array.from(latencies).sort();
  return `${micros(percentile(sorted, 50))} / ${micros(percentile(sorted, 99))} / ${micros(percentile(sorted, 99.9))}`;
};

const byKind = (measured: Measured, operations: readonly Operation[]) =>
  OPERATION_KINDS.map((kind) => {
    const picked: number[] = [];
    for (let index = 0; index < measured.done; index += 1)
      if (operations[index]!.kind === kind) picked.push(measured.latencies[index]!);
    return { kind, share: picked.length / measured.done, latencies: Float64Array.from(picked) };
  });

const table = (header: string[], rows: string[][]) =>
  [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `# bench:matching — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpu}, Node ${process.version}\n`,
);
console.log(
  `One book, one thread; ${PRICE_LEVELS} price levels a side; ${count(operationCount)} operations after the book is filled. Latencies in µs, p50 / p99 / p99.9.\n`,
);

const throughputRows: string[][] = [];
const oursBySize: {
  size: number;
  perSecond: number;
  perCpuSecond: number;
  untimed: ReturnType<typeof runUntimed>;
}[] = [];
const latencyRows: string[][] = [];
for (const size of sizes) {
  say(`book of ${count(size)}: generating the stream`);
  const { fill, operations } = generateWorkload(size, operationCount, (done, total) =>
    say(`  generated ${count(done)} of ${count(total)}`),
  );
  say(`book of ${count(size)}: ours`);
  const mine = run(ours(), fill, operations, Infinity);
  say(`book of ${count(size)}: ours, untimed`);
  const untimed = runUntimed(ours(), fill, operations);
  say(`book of ${count(size)}: peer`);
  const theirs = run(peer(), fill, operations, peerSeconds);
  oursBySize.push({ size, perSecond: mine.perSecond, perCpuSecond: mine.perCpuSecond, untimed });
  for (const measured of [mine, theirs]) {
    throughputRows.push([
      count(size),
      measured.name,
      `${count(measured.done)}${measured.done < operations.length ? ' (capped)' : ''}`,
      count(Math.round(measured.perSecond)),
      count(Math.round(measured.perCpuSecond)),
      summary(measured.latencies),
      count(measured.restingAfter),
    ]);
    for (const { kind, share, latencies } of byKind(measured, operations))
      latencyRows.push([
        count(size),
        measured.name,
        kind,
        `${(share * 100).toFixed(1)}%`,
        summary(latencies),
      ]);
  }
  throughputRows.push([
    count(size),
    'ours, untimed pass',
    count(operations.length),
    count(Math.round(untimed.perSecond)),
    count(Math.round(untimed.perCpuSecond)),
    '(no per-operation clock)',
    '',
  ]);
  throughputRows.push([
    count(size),
    '**ratio ours / peer** (timed runs)',
    '',
    `**${(mine.perSecond / theirs.perSecond).toFixed(1)}×**`,
    `**${(mine.perCpuSecond / theirs.perCpuSecond).toFixed(1)}×**`,
    '',
    '',
  ]);
}

console.log(
  table(
    [
      'resting orders',
      'book',
      'operations',
      'ops/s',
      'ops per CPU-second',
      'all, µs',
      'resting after',
    ],
    throughputRows,
  ),
);
console.log('');
console.log(table(['resting orders', 'book', 'operation', 'share', 'µs'], latencyRows));
const smallest = oursBySize[0];
const largest = oursBySize[oursBySize.length - 1];
if (smallest && largest && largest !== smallest)
  console.log(
    `\nOurs at ${count(largest.size)} resting orders keeps ` +
      `${((largest.perSecond / smallest.perSecond) * 100).toFixed(0)}% of its throughput at ${count(smallest.size)} (wall), ` +
      `${((largest.perCpuSecond / smallest.perCpuSecond) * 100).toFixed(0)}% (per CPU-second); ` +
      `untimed, ${((largest.untimed.perSecond / smallest.untimed.perSecond) * 100).toFixed(0)}% (wall) and ` +
      `${((largest.untimed.perCpuSecond / smallest.untimed.perCpuSecond) * 100).toFixed(0)}% (per CPU-second).`,
  );
