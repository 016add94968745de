import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fmt, percentile, startChild, stopChild, usageOf } from '../shared/children.js';
import { startLoad } from './load.js';

/**
 * Live subscriptions through a gateway: 10 symbols at 10 ticks/s each from a test
 * subgraph; our router and Hive Gateway in the same run. Workloads:
 *   all     every subscriber on all 10 symbols (100 events/s each)
 *   spread  each subscriber on one of the 10 symbols (10 events/s each), so
 *           10,000 subscribers want 100k events/s, the target shape of ADR 0004
 *
 *   npm run bench:subscriptions -- --subscribers 10,100,1000,10000 --workload spread
 *
 * Options are described in bench/README.md.
 */
const { values: args } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '10,100,1000' },
    gateways: { type: 'string', default: 'ours,hive' },
    shapes: { type: 'string', default: 'owner,cross' },
    warmup: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '5' },
    workload: { type: 'string', default: 'all' },
    /**
     * Spread workload: start the symbols' streams a tenth of a tick apart, as
     * independent instruments tick; without it every symbol ticks in the same
     * millisecond and each tick is one burst to every subscriber (the worst case).
     */
    'in-phase': { type: 'boolean', default: false },
    /** Ticks per second per symbol: the shape is 10; fewer show latency below saturation. */
    ticks: { type: 'string', default: '10' },
    /** Writes a V8 CPU profile of each gateway's measured window into this folder (for Chrome DevTools). */
    'cpu-prof-dir': { type: 'string' },
  },
});
const SYMBOLS = Array.from({ length: 10 }, (_, i) => `SYM${i}`);
const TICKS_PER_SECOND_PER_SYMBOL = Number(args.ticks);
const spread = args.workload === 'spread';
if (!spread && args.workload !== 'all') throw new Error('--workload is "all" or "spread"');
const symbolsPerSubscriber = spread ? 1 : SYMBOLS.length;
if (!Number.isInteger(1000 / (TICKS_PER_SECOND_PER_SYMBOL * symbolsPerSubscriber)))
  throw new Error(
    `--ticks ${args.ticks}: the test subgraph takes a whole number of milliseconds between ticks; try 10, 8, 5 or 4`,
  );
const shapes: Record<string, string> = {
  owner: 'symbol seq price at',
  cross: 'symbol seq price at instrument { name exchange }',
};
/** The subgraph emits one tick every `intervalMs`, round-robin over the subscription's symbols. */
const queryOf = (shape: string, symbols: readonly string[]) =>
  `subscription Ticks { ticks(symbols: ${JSON.stringify(symbols)}, intervalMs: ${1000 / (TICKS_PER_SECOND_PER_SYMBOL * symbols.length)}) { ${shapes[shape]} } }`;
const queryForSubscriber = (shape: string) => (subscriber: number) =>
  queryOf(shape, spread ? [SYMBOLS[subscriber % SYMBOLS.length] as string] : SYMBOLS);
const subscribeDelayMs = (subscriber: number) =>
  spread && !args['in-phase']
    ? ((subscriber % SYMBOLS.length) * 1000) / TICKS_PER_SECOND_PER_SYMBOL / SYMBOLS.length
    : 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Row {
  shape: string;
  gateway: string;
  subscribers: number;
  offered: number;
  delivered: number;
  p50: number;
  p99: number;
  cpu: number;
  rssStart: number;
  rssEnd: number;
  errors: string[];
}

const measure = async (gateway: string, shape: string, subscribers: number): Promise<Row> => {
  const subgraphs = await startChild(new URL('./processes/subgraphs.ts', import.meta.url));
  const router = await startChild(
    new URL(gateway === 'ours' ? './processes/ours.ts' : './processes/hive.ts', import.meta.url),
    {
      SUPERGRAPH_SDL: subgraphs.ready.supergraphSdl ?? '',
      ...(args['cpu-prof-dir'] && {
        BENCH_CPU_PROFILE: path.resolve(
          args['cpu-prof-dir'],
          `${gateway}-${shape}-${args.workload}-${subscribers}.cpuprofile`,
        ),
      }),
    },
  );
  const load = await startLoad(
    router.ready.url ?? '',
    queryForSubscriber(shape),
    subscribers,
    subscribeDelayMs,
  );
  try {
    await sleep(Number(args.warmup) * 1000);
    load.reset();
    const before = await usageOf(router.child);
    const started = performance.now();
    await sleep(Number(args.seconds) * 1000);
    const received = load.received();
    const elapsed = (performance.now() - started) / 1000;
    const after = await usageOf(router.child);
    const latencies = load.latencies().sort();
    return {
      shape,
      gateway,
      subscribers,
      offered: subscribers * symbolsPerSubscriber * TICKS_PER_SECOND_PER_SYMBOL,
      delivered: received / elapsed,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      // Both readings come from the gateway process, so a saturated gateway replying late does not skew this.
      cpu: (after.cpuMicros - before.cpuMicros) / 1e3 / (after.atMs - before.atMs),
      rssStart: before.rssBytes / 2 ** 20,
      rssEnd: after.rssBytes / 2 ** 20,
      errors: load.errors(),
    };
  } finally {
    load.close();
    stopChild(router.child);
    stopChild(subgraphs.child);
  }
};

console.log(
  `# subscriptions benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; workload ${args.workload}${spread ? (args['in-phase'] ? ' (symbols in phase)' : ' (symbols out of phase)') : ''}, ${TICKS_PER_SECOND_PER_SYMBOL} ticks/s per symbol; warm-up ${args.warmup} s, measured ${args.seconds} s\n`,
);
console.log(
  '| shape | gateway | subscribers | offered ev/s | delivered ev/s | vs Hive | p50 ms | p99 ms | gateway CPU | gateway RSS start → end MiB |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const shape of args.shapes.split(',')) {
  for (const subscribers of args.subscribers.split(',').map(Number)) {
    const rows: Row[] = [];
    for (const gateway of args.gateways.split(',')) {
      let row: Row;
      try {
        row = await measure(gateway, shape, subscribers);
      } catch (error) {
        console.log(
          `| ${shape} | ${gateway} | ${subscribers} | failed: ${(error as Error).message} |`,
        );
        continue;
      }
      rows.push(row);
    }
    const hive = rows.find((r) => r.gateway === 'hive');
    for (const row of rows) {
      const ratio =
        row.gateway !== 'hive' && hive ? `${fmt(row.delivered / hive.delivered, 1)}×` : '';
      console.log(
        `| ${shape} | ${row.gateway} | ${fmt(subscribers)} | ${fmt(row.offered)} | ${fmt(row.delivered)} | ${ratio} | ` +
          `${fmt(row.p50, 1)} | ${fmt(row.p99, 1)} | ${fmt(row.cpu * 100)}% | ${fmt(row.rssStart)} → ${fmt(row.rssEnd)} |`,
      );
      if (row.errors.length > 0)
        console.log(`<!-- ${row.gateway} errors: ${row.errors.slice(0, 3).join(' / ')} -->`);
    }
  }
}
process.exit(0);
